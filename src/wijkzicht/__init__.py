"""Wijkzicht: neighbourhood insight for Dutch youth care."""

__version__ = "0.1.0"
