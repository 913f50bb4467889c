"""The embedded data snapshot: validation against datapackage.json, the indicator catalog, the
Framework as data. Imports only `analysis.core`."""
