"""Cleaning: one reader per publisher layout, and the tidy indicator table with its accessors.
Imports `analysis.core` and `analysis.snapshot.validate`."""
