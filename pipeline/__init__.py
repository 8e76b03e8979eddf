"""Consolidating a partnership's quarterly action-plan returns into the Executive's report."""

__version__ = "0.1.0"
