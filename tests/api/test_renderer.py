"""The orjson renderer writes every value as the standard JSON encoder did."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder

from palier.api.renderer import JSONRenderer


def _render(data: object) -> object:
    return json.loads(JSONRenderer().render(None, data, response_status=200))


def test_values_read_back_as_the_standard_encoder_wrote_them():
    data = {
        "utc": datetime(2026, 11, 25, 9, 30, 5, 123456, tzinfo=UTC),
        "whole_second": datetime(2026, 11, 25, 9, 30, 5, tzinfo=UTC),
        "paris": datetime(2026, 11, 25, 9, 30, 5, 1000, tzinfo=timezone(timedelta(hours=1))),
        "day": date(2026, 11, 25), "amount": Decimal("12.50"), "id": uuid.UUID(int=7),
        "label": gettext_lazy("Profile"), "nested": [{"when": datetime(2026, 1, 1, tzinfo=UTC)}],
        3: "integer key",
    }
    assert _render(data) == json.loads(json.dumps(data, cls=NinjaJSONEncoder))


def test_numpy_figures_are_plain_numbers():
    assert _render({"agents": np.int64(4), "occupancy": np.float64(0.75)}) == {
        "agents": 4, "occupancy": 0.75}
