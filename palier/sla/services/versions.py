"""Policy versions: the frozen rules each ticket's clock runs under, cached per process.

A version's content is a JSON spec (calendar, targets, pauses, thresholds, OLAs, actions);
its id is the digest of that content. ``contract_version`` finds the version in force for a
contract in one query while the policy and its calendar keep their ``revision`` (a random
token changed by every save); ``rules`` turns a version id into pure values, loading each
version from the database once per process.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import FilteredRelation, Q

from palier.clients.models import (
    DEFAULT_RESOLUTION_MINUTES,
    DEFAULT_RESPONSE_MINUTES,
    Contract,
)
from palier.core import cache, clock
from palier.sla.calendar import BusinessCalendar, Period, parse_week, week_to_json
from palier.sla.clock import Policy
from palier.sla.models import Calendar, PolicyVersion, SlaPolicy

FALLBACK_THRESHOLDS = [75, 90]
_CACHE_SIZE = 4096
_stored: dict[str, float] = {}  # version id → when this process last inserted it


@dataclass(frozen=True)
class Actions:
    """What the worker does when a target breaches (the policy's action flags)."""

    alert_managers: bool = False
    auto_escalate_on_ola: bool = False
    reassign_in_group: bool = False


@dataclass(frozen=True, eq=False)
class Rules:
    """One version as pure values: the clock's policy and the breach actions."""

    version_id: str
    name: str
    policy: Policy
    actions: Actions


#: Per process: version id → rules (content-addressed, so never stale); (policy, revision,
#: calendar revision) → spec.
_rules: dict[str, Rules] = {}
_specs: dict[tuple, dict] = {}


def calendar_spec(calendar: Calendar) -> dict:
    """The calendar as plain JSON (prefetch ``exceptions`` when loading many)."""
    value = calendar.to_value()
    periods = {"closures": value.closures, "openings": value.openings}
    return {
        "name": calendar.name, "tz": value.tz, "is_24x7": calendar.is_24x7,
        "week": week_to_json(value.week), "country": value.holiday_country,
        "subdivision": value.holiday_subdivision,
        **{kind: [[p.start.isoformat(), p.end.isoformat(), p.reason] for p in found]
           for kind, found in periods.items()},
    }


def policy_spec(policy: SlaPolicy) -> dict:
    """The policy's rules as plain JSON, with its calendar and OLA targets."""
    return {
        "policy_id": policy.pk, "name": policy.name, "calendar": calendar_spec(policy.calendar),
        "response": dict(policy.response_minutes), "resolution": dict(policy.resolution_minutes),
        "ola": {t.level.code: t.minutes for t in policy.ola_targets.all()},
        "pause_on_pending_requester": policy.pause_on_pending_requester,
        "pause_on_pending_vendor": policy.pause_on_pending_vendor,
        "warning_thresholds": sorted(policy.warning_thresholds),
        "actions": {"alert_managers": policy.alert_managers,
                    "auto_escalate_on_ola": policy.auto_escalate_on_ola,
                    "reassign_in_group": policy.reassign_in_group},
    }


def fallback_spec(response: dict, resolution: dict) -> dict:
    """The rules of a contract without a policy: its targets around the clock (24×7, UTC),
    pausing while pending the requester, warning at 75 % and 90 %, no actions."""
    always = {"name": "24×7", "tz": "UTC", "is_24x7": True, "week": {}, "country": None,
              "subdivision": None, "closures": [], "openings": []}
    return {
        "policy_id": None, "name": "", "calendar": always, "response": dict(response),
        "resolution": dict(resolution), "ola": {}, "pause_on_pending_requester": True,
        "pause_on_pending_vendor": False, "warning_thresholds": list(FALLBACK_THRESHOLDS),
        "actions": {},
    }


def rules_from_spec(pk: str, spec: dict) -> Rules:
    policy = Policy(
        calendar=_calendar(spec["calendar"]), response=spec["response"],
        resolution=spec["resolution"], ola=spec["ola"],
        pause_on_pending_requester=spec["pause_on_pending_requester"],
        pause_on_pending_vendor=spec["pause_on_pending_vendor"],
        warning_thresholds=tuple(spec["warning_thresholds"]), name=spec["name"],
    )
    return Rules(pk, spec["name"], policy, Actions(**spec["actions"]))


def _calendar(spec: dict) -> BusinessCalendar:
    def periods(kind: str) -> tuple[Period, ...]:
        return tuple(Period(datetime.fromisoformat(s), datetime.fromisoformat(e), reason)
                     for s, e, reason in spec[kind])

    if spec["is_24x7"]:
        return BusinessCalendar.twenty_four_seven(spec["tz"], closures=periods("closures"),
                                                  openings=periods("openings"),
                                                  name=spec["name"])
    return BusinessCalendar(spec["tz"], parse_week(spec["week"]),
                            holiday_country=spec["country"],
                            holiday_subdivision=spec["subdivision"],
                            closures=periods("closures"), openings=periods("openings"),
                            name=spec["name"])


def version_id(spec: dict) -> str:
    """A version's id: the digest of its content."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def store(spec: dict) -> str:
    """The id of the version with this content, inserted unless already there (one
    ``INSERT … ON CONFLICT DO NOTHING``). Versions are never deleted, so once the insert has
    *committed* this process skips it for ``PALIER_CONFIG_CACHE_SECONDS`` (0 in tests, whose
    databases are flushed). Until then every caller inserts again: another thread's ticket
    must not point at a row that its writer's transaction may still roll back, or commit
    after it (the deferred foreign key fails at the reader's commit)."""
    return _ensure(version_id(spec), spec)


def _ensure(pk: str, spec: dict) -> str:
    ttl, now = settings.PALIER_CONFIG_CACHE_SECONDS, time.monotonic()
    if ttl <= 0 or now - _stored.get(pk, -ttl) >= ttl:
        PolicyVersion.objects.bulk_create(
            [PolicyVersion(pk=pk, spec=spec, policy_id=spec["policy_id"],
                           created_at=clock.now())],
            ignore_conflicts=True)
        transaction.on_commit(lambda: _stored.__setitem__(pk, now))
    _remember(pk, spec)
    return pk


def contract_version(contract_id: int | None) -> str:
    """The version in force now for tickets of ``contract_id``: its active policy's, else
    the fallback of its (or the default) targets. Read at most once per
    ``PALIER_CONFIG_CACHE_SECONDS`` per process (every intake asks): a policy, calendar or
    contract change applies to new tickets within that many seconds. The cache holds the
    id and the spec, so that the row is still made sure of (a no-op once it has committed)."""
    pk, spec = cache.cached(f"sla-version:{contract_id}", lambda: _identified(contract_id))
    return _ensure(pk, spec)


def _identified(contract_id: int | None) -> tuple[str, dict]:
    spec = _contract_spec(contract_id)
    return version_id(spec), spec


def _contract_spec(contract_id: int | None) -> dict:
    """The spec in force for ``contract_id``, read from the database: one query while nothing
    changed."""
    if contract_id is None:
        return fallback_spec(DEFAULT_RESPONSE_MINUTES, DEFAULT_RESOLUTION_MINUTES)
    row = (Contract.objects.filter(pk=contract_id)
           .annotate(active=FilteredRelation("sla_policies",
                                             condition=Q(sla_policies__is_active=True)))
           .values_list("response_minutes", "resolution_minutes", "active__pk",
                        "active__revision", "active__calendar__revision")
           .order_by("pk").first())
    if row is None:
        return fallback_spec(DEFAULT_RESPONSE_MINUTES, DEFAULT_RESOLUTION_MINUTES)
    response, resolution, policy_id, *revisions = row
    if policy_id is None:
        return fallback_spec(response, resolution)
    key = (policy_id, *revisions)
    spec = _specs.get(key)
    if spec is None:
        policy = (SlaPolicy.objects.select_related("calendar")
                  .prefetch_related("calendar__exceptions", "ola_targets__level")
                  .get(pk=policy_id))
        spec = _specs[key] = policy_spec(policy)
    return spec


def rules(pk: str, row: PolicyVersion | None = None) -> Rules:
    """The pure rules of a version (``row``, when already loaded, saves the query)."""
    found = _rules.get(pk)
    if found is None:
        spec = row.spec if row is not None else (
            PolicyVersion.objects.values_list("spec", flat=True).get(pk=pk))
        found = _remember(pk, spec)
    return found


def rules_many(pks: set[str]) -> dict[str, Rules]:
    """Rules for several versions, loading the missing ones in one query."""
    missing = [pk for pk in pks if pk not in _rules]
    if missing:
        for pk, spec in PolicyVersion.objects.filter(pk__in=missing).values_list("pk", "spec"):
            _remember(pk, spec)
    return {pk: _rules[pk] for pk in pks}


def _remember(pk: str, spec: dict) -> Rules:
    found = _rules.get(pk)
    if found is None:
        if len(_rules) >= _CACHE_SIZE:
            _rules.clear()
        _rules[pk] = found = rules_from_spec(pk, spec)
    return found


def forget() -> None:
    """Empty the caches."""
    _rules.clear()
    _specs.clear()
    _stored.clear()
