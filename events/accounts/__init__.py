"""Organizer accounts: passwords, login sessions and API tokens."""
