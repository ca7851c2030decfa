"""Invitations: the municipalities that may register, each by its coordinator's secret link."""
