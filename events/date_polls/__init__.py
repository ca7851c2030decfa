"""Date polls (日程調整): candidate slots, municipalities' answers and the result."""
