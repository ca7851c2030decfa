"""The JSON API: handlers and the hand-written shapes of what they take and return."""
