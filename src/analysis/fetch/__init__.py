"""Online refresh (`make fetch`): download new vintages of opted-in raw resources from the APIs.

`plan_fetch` lists the resources whose datapackage.json entry has an `x-fetch` block;
`fetch_package` downloads them (World Bank WDI API v2, INEGI Indicadores API), writes each as a
new dated file in the publisher's layout beside the current one, validates it and registers it,
all or nothing. The pipeline itself never needs the network: `make all` runs on the snapshot.
See `analysis.fetch.releases` for the x-fetch format and how vintages are named.
"""

from analysis.fetch.http import OFFLINE_HINT, FetchError, FetchSettings
from analysis.fetch.releases import FetchPlan, dated_path, fetch_package, plan_fetch, select_plans

__all__ = [
    "OFFLINE_HINT",
    "FetchError",
    "FetchPlan",
    "FetchSettings",
    "dated_path",
    "fetch_package",
    "plan_fetch",
    "select_plans",
]
