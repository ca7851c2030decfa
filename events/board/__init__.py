"""The consultation board (相談ボード) of a series: questions, answers, moderation, mail."""
