"""The upper layer: exchange sessions, registrations, calendar, mail, reports; hosts the service."""
