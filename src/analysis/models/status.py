"""The status vocabulary, in one place: the names the progress models give, their order from best
to worst, which count as good or bad news in sentences, and the colour each is drawn in.

Models assign these names; sentences group them with GOOD and BAD; figures colour them with
STATUS_COLOURS, one distinct colour per status from the Okabe & Ito (2008) palette, which stays
distinguishable with the common colour-vision deficiencies.
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

#: Open SDG's statuses (sdg-build `get_progress_status`: target_achieved, substantial_progress,
#: moderate_progress, limited_progress, deterioration), in words, best to worst. The same names
#: serve series with a target (cut-offs on the growth ratio) and without one (on the growth rate).
TARGET_ACHIEVED = "target achieved"
SUBSTANTIAL = "substantial progress"
MODERATE = "moderate progress"
LIMITED = "limited progress"
DETERIORATION = "deterioration"
#: What a series without enough data gets, from every method.
NOT_ASSESSED = "insufficient data"
#: Added to a status when the target year has passed and the target was not reached.
TARGET_MISSED = "target missed"

#: UNSD Progress Chart statuses, best to worst.
UNSD_STATUSES = ("achieved", "on track", "fair progress", "stagnation or regression")

#: Every Open SDG status with its colour, best to worst; grey for what was not assessed.
STATUS_COLOURS = {
    TARGET_ACHIEVED: OKABE_ITO["green"],
    SUBSTANTIAL: OKABE_ITO["blue"],
    MODERATE: OKABE_ITO["sky"],
    LIMITED: OKABE_ITO["orange"],
    DETERIORATION: OKABE_ITO["vermillion"],
    NOT_ASSESSED: "#cfcfcf",
}
STATUS_ORDER = list(STATUS_COLOURS)

#: Statuses that sentences report as good news, and as movement in the undesired direction.
GOOD = frozenset({TARGET_ACHIEVED, SUBSTANTIAL})
BAD = frozenset({DETERIORATION})

#: How a verdict was reached: against a quantified target, or by the direction of change alone.
METHODS = {"target": "against a target", "direction": "by direction only"}
