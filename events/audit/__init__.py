"""The audit trail: who changed what and when, written with each change, read by organizers."""
