"""What organizers do across domains: each change with the mails and records it causes."""
