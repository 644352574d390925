"""Reads for the console's capacity page: required and scheduled staff per hour and the
predicted SLA attainment, for the clients the manager serves."""

from __future__ import annotations

from palier.accounts.models import User
from palier.capacity.chart_data import plan_chart
from palier.capacity.services import PlanRequest, plan_desk


def staffing_chart(actor: User, request: PlanRequest | None = None) -> dict:
    """Chart-ready series of the baseline plan (and of each scenario asked for), planned
    from the history now (``chart_data.plan_chart``). Same authorization as ``plan_desk``
    (managers and administrators, their clients only). The console reads the worker's
    stored plan instead (``capacity.stored``)."""
    request = request or PlanRequest()
    return plan_chart(plan_desk(actor, request), request.scenarios)
