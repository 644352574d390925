"""Stored staffing plans: the default plan of each set of clients a manager serves, computed
by the worker (``capacity.plan``) and read by the console's capacity page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredPlan(models.Model):
    """The default plan of one set of clients, with the inputs' fingerprint it came from.

    ``estimate`` is the desk model the plan was made from (what-ifs re-plan from it); without
    a plan (too little history), ``tickets`` says how many tickets the window held.
    """

    scope = models.CharField(_("clients"), max_length=64, unique=True,
                             help_text=_("Digest of the client ids the plan covers."))
    client_ids = models.JSONField(_("client ids"))
    fingerprint = models.CharField(_("inputs' fingerprint"), max_length=64)
    computed_at = models.DateTimeField(_("computed"))
    seconds = models.FloatField(_("computation time (s)"), default=0.0)
    tickets = models.PositiveIntegerField(_("tickets in the window"), default=0)
    estimate = models.JSONField(_("desk model"), null=True, blank=True)
    chart = models.JSONField(_("plan"), null=True, blank=True)
    problem = models.TextField(_("why there is no plan"), blank=True)

    class Meta:
        verbose_name = _("stored plan")
        verbose_name_plural = _("stored plans")

    def __str__(self) -> str:
        return f"{self.client_ids} {self.computed_at:%Y-%m-%d %H:%M}"
