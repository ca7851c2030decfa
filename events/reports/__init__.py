"""Post-event reports (開催レポート): notes, drafts, fact check, publishing and the archive."""
