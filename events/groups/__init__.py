"""Discussion groups: assigning attendees, reviewing, publishing and exporting the result."""
