"""Pages anyone may read: sessions, reports, municipalities, networks, calendar feeds."""
