"""HTTP: handlers by audience (public, organizer, personal, api) and what they share."""
