"""SLA services: the live clock (refresh on every journal event that can move it), policy
versions, and policy or calendar changes applied to open tickets."""

from palier.sla.services.refresh import refresh_after, refresh_clock, refresh_many, start_clock
from palier.sla.services.retime import (
    apply_calendar_change,
    apply_policy_change,
    retime_contract,
)
from palier.sla.services.versions import Rules, contract_version, rules

__all__ = ["Rules", "apply_calendar_change", "apply_policy_change", "contract_version",
           "refresh_after", "refresh_clock", "refresh_many", "retime_contract", "rules",
           "start_clock"]
