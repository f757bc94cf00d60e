"""Insight for people: area profiles, similar areas and conclusions in plain language."""
