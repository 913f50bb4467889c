"""Shared plumbing every stage may use: errors, atomic writes, parameters, paths, periods."""
