"""HTTP handlers, one module per area; each handler parses input and calls one domain function."""
