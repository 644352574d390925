"""Triage: learn from resolved tickets; predict category, level and group, and priority."""
