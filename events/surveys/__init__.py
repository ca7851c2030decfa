"""Post-session surveys: questions, answers, results and their charts."""
