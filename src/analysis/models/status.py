"""The status vocabulary, in one place: the names the progress models give, their order from best
to worst, which count as good or bad news in sentences, and the colour each is drawn in.

Models assign these names; sentences group them with GOOD and BAD; figures colour them with
STATUS_COLOURS (Okabe & Ito 2008, distinguishable with the common colour-vision deficiencies).
"""

from __future__ import annotations

#: Okabe & Ito (2008) palette.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#8C8C8C",
}

#: Open SDG statuses of a series with a quantified target, best to worst.
TARGET_STATUSES = (
    "achieved",
    "on track",
    "acceleration needed",
    "limited progress",
    "deterioration",
)
#: Open SDG statuses of a series without a target, best to worst.
NO_TARGET_STATUSES = (
    "significant progress",
    "moderate progress",
    "limited progress",
    "deterioration",
)
#: A target year that has passed: the target was met or it was not.
NOT_ACHIEVED = "not achieved by target date"
TARGET_DATE_STATUSES = ("achieved", NOT_ACHIEVED)
#: UNSD Progress Chart statuses, best to worst.
UNSD_STATUSES = ("achieved", "on track", "fair progress", "stagnation or regression")
#: What a series without enough data gets, from every method.
NOT_ASSESSED = "insufficient data"

#: Every status of the Open SDG run with its colour, best to worst; grey for what was not assessed.
STATUS_COLOURS = {
    "achieved": OKABE_ITO["green"],
    "on track": OKABE_ITO["green"],
    "significant progress": OKABE_ITO["green"],
    "acceleration needed": OKABE_ITO["sky"],
    "moderate progress": OKABE_ITO["sky"],
    "limited progress": OKABE_ITO["yellow"],
    "deterioration": OKABE_ITO["vermillion"],
    "not achieved by target date": OKABE_ITO["purple"],
    NOT_ASSESSED: "#cfcfcf",
}
STATUS_ORDER = list(STATUS_COLOURS)

#: Statuses that sentences report as improving on track or fast, and as moving the wrong way.
GOOD = frozenset({"achieved", "on track", "significant progress"})
BAD = frozenset({"deterioration", "not achieved by target date"})
