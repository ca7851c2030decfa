"""Registrations: delegations, attendees, the waitlist, participant mail and records."""
