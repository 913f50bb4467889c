"""Mexico x UN Cooperation Framework 2020-2025: data snapshot, cleaning, models and reports."""

__version__ = "0.1.0"
