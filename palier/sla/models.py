"""Business calendars, SLA policies and OLA targets as stored; ``to_value()`` gives the pure
values that ``palier.sla.calendar`` and ``palier.sla.clock`` compute with."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from palier.clients.models import PRIORITY_KEYS, default_resolution, default_response
from palier.sla.calendar import BusinessCalendar, Period, check_region, parse_week, zone
from palier.sla.clock import Policy
from palier.tickets.models import AppendOnly


def default_week() -> dict:
    office = [["09:00", "12:30"], ["13:30", "18:00"]]
    return {day: office for day in ("mon", "tue", "wed", "thu", "fri")}


def default_thresholds() -> list[int]:
    return [75, 90]


def new_revision() -> str:
    return uuid.uuid4().hex


class Revised(models.Model):
    """A row whose ``revision`` changes on every save (a random token, so it never repeats,
    even after a rollback), letting caches of its value tell it changed. Children change
    their parent's through ``bump``."""

    revision = models.CharField(_("revision"), max_length=32, default=new_revision,
                                editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.revision = new_revision()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)

    @classmethod
    def bump(cls, pk: int | None) -> None:
        cls.objects.filter(pk=pk).update(revision=new_revision())


class Calendar(Revised):
    """When a desk counts time: zone, weekly hours, public holidays, exceptions."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    timezone = models.CharField(_("timezone"), max_length=64, default="UTC",
                                help_text=_("An IANA timezone, e.g. Europe/Paris."))
    weekly_hours = models.JSONField(
        _("weekly opening hours"), default=default_week, blank=True,
        help_text=_('Per weekday, local times, e.g. {"mon": [["09:00", "12:30"], '
                    '["13:30", "18:00"]]}; an interval may end at 24:00.'),
    )
    holiday_country = models.CharField(_("public holidays of"), max_length=3, blank=True,
                                       help_text=_("ISO country code, e.g. FR, US, GB, DE."))
    holiday_subdivision = models.CharField(_("region"), max_length=10, blank=True,
                                           help_text=_("Subdivision code, e.g. BY, CA, SCT."))
    is_24x7 = models.BooleanField(_("24×7"), default=False,
                                  help_text=_("Always open: hours and holidays are ignored."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        try:
            zone(self.timezone)
        except ValueError as exc:
            errors["timezone"] = str(exc)
        try:
            week = parse_week(self.weekly_hours or {})
            if not self.is_24x7 and not any(week):
                errors["weekly_hours"] = _("Give opening hours for at least one day.")
        except ValueError as exc:
            errors["weekly_hours"] = str(exc)
        try:
            check_region(self.holiday_country or None, self.holiday_subdivision or None)
        except ValueError as exc:
            field = "holiday_subdivision" if self.holiday_subdivision else "holiday_country"
            errors[field] = str(exc)
        if errors:
            raise ValidationError(errors)

    def to_value(self) -> BusinessCalendar:
        """The pure calendar, with its exceptional closures and openings."""
        closures, openings = [], []
        for exception in self.exceptions.all():
            period = Period(exception.starts_at, exception.ends_at, exception.reason)
            (closures if exception.kind == ExceptionKind.CLOSURE else openings).append(period)
        if self.is_24x7:
            return BusinessCalendar.twenty_four_seven(self.timezone, closures=closures,
                                                      openings=openings, name=self.name)
        return BusinessCalendar(
            self.timezone, parse_week(self.weekly_hours or {}),
            holiday_country=self.holiday_country or None,
            holiday_subdivision=self.holiday_subdivision or None,
            closures=tuple(closures), openings=tuple(openings), name=self.name,
        )


class ExceptionKind(models.TextChoices):
    CLOSURE = "closure", _("Closure")
    OPENING = "opening", _("Exceptional opening")


class CalendarException(models.Model):
    """An exceptional closure (it wins) or opening of a calendar."""

    calendar = models.ForeignKey(Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE,
                                 related_name="exceptions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    kind = models.CharField(_("kind"), max_length=8, choices=ExceptionKind.choices,
                            default=ExceptionKind.CLOSURE)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="calendar_exception_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.calendar}: {self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        Calendar.bump(self.calendar_id)

    def delete(self, *args, **kwargs):
        Calendar.bump(self.calendar_id)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An exception ends after it starts.")})


class SlaPolicy(Revised):
    """A contract's service levels: targets per priority, the calendar, what pauses the clock."""

    name = models.CharField(_("name"), max_length=100)
    contract = models.ForeignKey("clients.Contract", verbose_name=_("contract"),
                                 on_delete=models.CASCADE, related_name="sla_policies")
    is_active = models.BooleanField(_("active"), default=True)
    calendar = models.ForeignKey(Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT,
                                 related_name="policies")
    response_minutes = models.JSONField(
        _("first-response targets (business minutes)"), default=default_response,
        help_text=_('Per priority, e.g. {"P1": 15, "P2": 60, "P3": 240, "P4": 480}.'))
    resolution_minutes = models.JSONField(
        _("resolution targets (business minutes)"), default=default_resolution,
        help_text=_('Per priority, e.g. {"P1": 240, "P2": 480, "P3": 1440, "P4": 4320}.'))
    pause_on_pending_requester = models.BooleanField(_("pause while pending requester"),
                                                     default=True)
    pause_on_pending_vendor = models.BooleanField(_("pause while pending vendor"),
                                                  default=False)
    warning_thresholds = models.JSONField(
        _("warning thresholds (%)"), default=default_thresholds, blank=True,
        help_text=_("Percentages of a target at which to warn, e.g. [75, 90]."))
    alert_managers = models.BooleanField(_("alert managers on breach"), default=True)
    auto_escalate_on_ola = models.BooleanField(_("escalate when an OLA is breached"),
                                               default=False)
    reassign_in_group = models.BooleanField(_("reassign within the group on breach"),
                                            default=False)

    class Meta:
        ordering = ["contract", "name"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [models.UniqueConstraint(fields=["contract"],
                                               condition=models.Q(is_active=True),
                                               name="one_active_sla_policy_per_contract")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        for field in ("response_minutes", "resolution_minutes"):
            targets = getattr(self, field)
            if not isinstance(targets, dict) or set(targets) != set(PRIORITY_KEYS):
                errors[field] = _("Give a target for each of P1, P2, P3 and P4.")
            elif not all(_positive_int(v) for v in targets.values()):
                errors[field] = _("Targets are positive whole minutes of business time.")
        if not _valid_thresholds(self.warning_thresholds):
            errors["warning_thresholds"] = _("Give distinct whole percentages from 1 to 99.")
        if errors:
            raise ValidationError(errors)

    def to_value(self) -> Policy:
        """The pure policy, with its calendar and OLA targets (level code → minutes).

        Prefetch ``calendar__exceptions`` and ``ola_targets__level`` when loading many.
        """
        return Policy(
            calendar=self.calendar.to_value(),
            response=dict(self.response_minutes), resolution=dict(self.resolution_minutes),
            ola={t.level.code: t.minutes for t in self.ola_targets.all()},
            pause_on_pending_requester=self.pause_on_pending_requester,
            pause_on_pending_vendor=self.pause_on_pending_vendor,
            warning_thresholds=tuple(self.warning_thresholds), name=self.name,
        )


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _valid_thresholds(values: object) -> bool:
    return (isinstance(values, list) and len(set(values)) == len(values)
            and all(_positive_int(p) and p < 100 for p in values))


class OlaTarget(models.Model):
    """The business time a ticket may stay at one level before it is resolved or escalated."""

    policy = models.ForeignKey(SlaPolicy, verbose_name=_("policy"), on_delete=models.CASCADE,
                               related_name="ola_targets")
    level = models.ForeignKey("accounts.Level", verbose_name=_("level"),
                              on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField(_("business minutes"))

    class Meta:
        ordering = ["policy", "level__rank"]
        verbose_name = _("OLA target")
        verbose_name_plural = _("OLA targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "level"], name="one_ola_per_policy_level"),
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="ola_minutes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.level_id}: {self.minutes} min"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        SlaPolicy.bump(self.policy_id)

    def delete(self, *args, **kwargs):
        SlaPolicy.bump(self.policy_id)
        return super().delete(*args, **kwargs)


class PolicyVersion(models.Model):
    """The rules a ticket's clock runs under, frozen: a policy (with its calendar and OLA
    targets) as it was, or the fallback for a contract without a policy.

    The key is a digest of the content, so equal rules are one row and a cached version can
    never be mistaken for another. Versions are never changed or deleted: a ticket's clock
    can always be replayed under the rules in force at each moment.
    """

    id = models.CharField(primary_key=True, max_length=32, editable=False)
    policy = models.ForeignKey(SlaPolicy, verbose_name=_("policy"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="versions")
    spec = models.JSONField(_("rules"), editable=False)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("SLA policy version")
        verbose_name_plural = _("SLA policy versions")

    def __str__(self) -> str:
        return f"{self.spec.get('name') or _('default targets')} ({self.pk[:8]})"


class SlaAlarm(AppendOnly):
    """The ledger of fired warnings and breaches: one row per alarm, ever.

    The unique key is what makes an alarm fire once, however many workers race for it; the
    journal event is written in the same transaction. See ``palier.sla.clock.alarms``.
    """

    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"),
                               on_delete=models.CASCADE, related_name="sla_alarms")
    target = models.CharField(_("target"), max_length=24)
    kind = models.CharField(_("kind"), max_length=16)
    cycle = models.CharField(_("cycle"), max_length=16, blank=True)
    reached_at = models.DateTimeField(_("reached"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    fired_at = models.DateTimeField(_("fired"))

    class Meta:
        ordering = ["fired_at", "id"]
        verbose_name = _("SLA alarm")
        verbose_name_plural = _("SLA alarms")
        constraints = [models.UniqueConstraint(fields=["ticket", "target", "kind", "cycle"],
                                               name="sla_alarm_fires_once")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target} {self.kind}"
