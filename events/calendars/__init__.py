"""Calendar files: iCalendar entries for sessions, attendees' invitations and region feeds."""
