"""The organizer's pages behind sign-in, with their form adapters."""
