"""Hooks for apps on higher floors (video): they listen here instead of being imported."""

from django.dispatch import Signal

# Sent after commit when a ticket leaves the agent (finished, no-show or transferred), with
# `ticket` (the row as it was saved) and `actor` (who did it, or None).
ticket_finished = Signal()
