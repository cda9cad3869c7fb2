"""Majlis: a self-hostable citizen service centre."""
