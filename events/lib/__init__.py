"""Foundations every layer above uses: settings, database, i18n, formatting, tokens, links, CSV."""
