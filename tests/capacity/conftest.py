"""Small desk models for the capacity tests."""

from __future__ import annotations

import pytest

from palier.capacity.model import HOURS_PER_WEEK, DeskModel, Distribution, LevelModel

OFFICE = tuple(1.0 if day < 5 and 8 <= hour < 18 else 0.0
               for day in range(7) for hour in range(24))


def level(code: str, mean: float, transfers=(), **kw) -> LevelModel:
    kw.setdefault("hourly_cost", 40.0)
    return LevelModel(code, Distribution.exponential(mean), transfers=transfers, **kw)


@pytest.fixture
def tiered() -> DeskModel:
    """L1 → L2 (30 %) → L3 (20 % of L2), 5 % returns, 24×7, 30 tickets per hour."""
    return DeskModel(arrivals=(30.0,) * HOURS_PER_WEEK, levels=(
        level("L1", 600, (0, 0.3)), level("L2", 1800, (0.05, 0, 0.2)),
        level("L3", 3600, (0, 0.05))))


@pytest.fixture
def office_desk() -> DeskModel:
    """An office-hours desk: tickets all day long, agents only 08:00–18:00 on weekdays."""
    return DeskModel(arrivals=(4.0,) * HOURS_PER_WEEK, open_hours=OFFICE, levels=(
        level("L1", 600, (0, 0.2), pause=0.1, pause_mean=7200, target_seconds=900),
        level("L2", 2400, (0.05,), target_seconds=3600)))
