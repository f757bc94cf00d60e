"""Indicators: the catalogue (data, engine-free), periods and disclosure control.

``catalogue`` defines every indicator once; the Ibis expressions, the truth reference
(``wijkzicht.synth.reference``) and ``docs/indicators.md`` are derived from it.
"""
