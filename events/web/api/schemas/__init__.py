"""JSON shapes of the API, written by hand, each class with a name unique across the API."""
