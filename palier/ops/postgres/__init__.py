"""Palier's PostgreSQL backend: Django's, riding out a database restart (see ``base``)."""
