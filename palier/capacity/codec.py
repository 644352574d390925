"""An estimated desk as JSON and back, so that a stored plan's what-ifs re-plan from the
stored model instead of reading the history again. Pure, no ORM.

Only what planning needs is kept: the ``DeskModel``, the arrival profile (its weeks place
the plan after the history), the observed escalation shares, the ticket count, the window
and the origin (Monday 00:00 at the desk, with its timezone's name). The handling-time fits'
candidates are not kept: the model holds the chosen law of each level.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from palier.capacity.estimation import Estimate
from palier.capacity.fitting import ArrivalProfile
from palier.capacity.model import DeskModel, Distribution, LevelModel

FORMAT = 1


def dump_estimate(estimate: Estimate) -> dict:
    model, profile = estimate.model, estimate.profile
    return {
        "format": FORMAT,
        "model": {
            "arrivals": list(model.arrivals), "trend": model.trend,
            "priority_mix": list(model.priority_mix), "entry": list(model.entry),
            "open_hours": list(model.open_hours),
            "response_targets": list(model.response_targets),
            "resolution_targets": list(model.resolution_targets),
            "levels": [_dump_level(level) for level in model.levels],
        },
        "profile": {"rates": list(profile.rates), "trend": profile.trend,
                    "weeks": profile.weeks, "count": profile.count},
        "observed_escalation": estimate.observed_escalation,
        "tickets": estimate.tickets, "window": list(estimate.window),
        "origin": estimate.origin.replace(tzinfo=None).isoformat(),
        "timezone": str(estimate.origin.tzinfo),
    }


def load_estimate(data: dict) -> Estimate:
    """The estimate ``dump_estimate`` wrote (``ValueError`` for another format)."""
    if data.get("format") != FORMAT:
        raise ValueError("The stored estimate has another format; plan it again.")
    m = data["model"]
    model = DeskModel(
        arrivals=tuple(m["arrivals"]), trend=m["trend"], priority_mix=tuple(m["priority_mix"]),
        entry=tuple(m["entry"]), open_hours=tuple(m["open_hours"]),
        response_targets=tuple(m["response_targets"]),
        resolution_targets=tuple(m["resolution_targets"]),
        levels=tuple(_load_level(level) for level in m["levels"]))
    p = data["profile"]
    profile = ArrivalProfile(tuple(p["rates"]), p["trend"], p["weeks"], p["count"])
    origin = datetime.fromisoformat(data["origin"]).replace(tzinfo=ZoneInfo(data["timezone"]))
    return Estimate(model, profile, {}, dict(data["observed_escalation"]), data["tickets"],
                    tuple(data["window"]), origin)


def _dump_level(level: LevelModel) -> dict:
    h = level.handling
    return {"code": level.code, "handling": [h.kind, h.a, h.b],
            "transfers": list(level.transfers), "pause": level.pause,
            "pause_mean": level.pause_mean, "hourly_cost": level.hourly_cost,
            "shrinkage": level.shrinkage, "target_seconds": level.target_seconds,
            "target_level": level.target_level}


def _load_level(data: dict) -> LevelModel:
    kind, a, b = data["handling"]
    return LevelModel(data["code"], Distribution(kind, a, b),
                      transfers=tuple(data["transfers"]), pause=data["pause"],
                      pause_mean=data["pause_mean"], hourly_cost=data["hourly_cost"],
                      shrinkage=data["shrinkage"], target_seconds=data["target_seconds"],
                      target_level=data["target_level"])
