"""Outgoing mail: the outbox, composing from templates, MIME building and SMTP delivery."""
