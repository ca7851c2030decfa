"""Pages opened by a personal link: coordinators, attendees, poll answers, the board."""
