"""Exchange sessions (情報交換会) and their series: scheduling, agenda, checks and status."""
