"""``palier capacity estimate|plan|simulate|erlang``: staffing per level from queueing maths
and simulation. ``estimate``, ``plan`` and ``simulate`` read the desk's history as a manager
(``--as EMAIL``) or an imported event log (``--log FILE.xes.gz``)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from palier.accounts.models import User
from palier.capacity import erlang, report, services
from palier.capacity.planner import Scenario
from palier.core.errors import DomainError


def _target(text: str) -> tuple[str, tuple[float, float]]:
    """``L1=900:0.8`` → ("L1", (900.0, 0.8))."""
    try:
        code, rest = text.split("=", 1)
        seconds, _, share = rest.partition(":")
        return code.strip(), (float(seconds), float(share or 0.8))
    except ValueError:
        raise CommandError(f"--target {text!r}: write LEVEL=SECONDS[:SHARE], e.g. "
                           "L1=900:0.8.") from None


class Command(BaseCommand):
    help = "Capacity planning: Erlang models, desk estimation, staffing plans, simulation."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        one = sub.add_parser("erlang", help="one interval by Erlang C (or A with --patience)")
        one.add_argument("--rate", type=float, required=True, help="arrivals per hour")
        one.add_argument("--aht", type=float, required=True, help="average handling time, s")
        one.add_argument("--agents", type=int, required=True)
        one.add_argument("--target", type=float, required=True, help="answer target, s")
        one.add_argument("--patience", type=float, help="mean patience, s (Erlang A)")
        one.add_argument("--json", action="store_true")
        for name, text in (("estimate", "estimate the desk model from history"),
                           ("plan", "staff per level and hour at least cost, with what-ifs"),
                           ("simulate", "plan, then simulate the plan with replications")):
            self._source(sub.add_parser(name, help=text), name)

    def _source(self, p, name: str) -> None:
        src = p.add_mutually_exclusive_group(required=True)
        src.add_argument("--as", dest="actor", metavar="EMAIL", help="a manager's e-mail")
        src.add_argument("--log", help="an event log (XES, optionally .gz), e.g. BPIC 2013")
        p.add_argument("--days", type=float, help="with --log: arrivals of the last N days")
        p.add_argument("--tz", default="UTC", help="with --log: the desk's timezone")
        p.add_argument("--json", action="store_true")
        if name == "estimate":
            return
        p.add_argument("--weeks", type=int, default=4)
        p.add_argument("--shift-hours", type=int, default=8)
        p.add_argument("--max-occupancy", type=float, default=0.9)
        p.add_argument("--patience", type=float, help="mean patience, s (Erlang A)")
        p.add_argument("--shrinkage", type=float, default=0.3)
        p.add_argument("--target", action="append", default=[], type=_target,
                       help="LEVEL=SECONDS[:SHARE], repeatable")
        p.add_argument("--volume", type=float, default=0.0, help="what-if: volume +N %%")
        p.add_argument("--shift-left", type=float, default=0.0,
                       help="what-if: L1 resolves N points more")
        p.add_argument("--new-weekly", type=float, default=0.0,
                       help="what-if: a new client contract with N tickets per week")
        p.add_argument("--sla-factor", type=float, default=1.0,
                       help="what-if: answer targets multiplied by F")
        p.add_argument("--no-trend", action="store_true",
                       help="plan on the history's average week, without its trend")
        p.add_argument("--replications", type=int, default=5 if name == "simulate" else 0)
        p.add_argument("--seed", type=int, default=1)

    def handle(self, *args, action: str, **opts) -> None:
        try:
            if action == "erlang":
                return self._erlang(opts)
            estimate = self._estimate(opts)
            if action == "estimate":
                return self._out(opts, estimate.as_dict(), report.estimate_text(estimate))
            request = self._request(opts)
            total = (1 + len(request.scenarios)) * (1 + request.replications)
            with tqdm(total=total, desc="planning", unit="step",
                      disable=not sys.stderr.isatty()) as bar:
                result = services.plan_estimate(estimate, request, bar.update)
            text = report.plan_text(result.plans)
            for sim in result.simulations:
                text += "\n\n" + report.simulation_text(sim) if sim else ""
            self._out(opts, result.as_dict(), text)
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    def _erlang(self, o: dict) -> None:
        if o["rate"] < 0 or o["aht"] <= 0 or o["agents"] < 0 or o["target"] < 0:
            raise CommandError("Give --rate ≥ 0, --aht > 0, --agents ≥ 0 and --target ≥ 0.")
        result = erlang.interval(o["rate"] / 3600, o["aht"], o["agents"], o["target"],
                                 o["patience"])
        self._out(o, result.as_dict(), report.interval_text(result))

    def _estimate(self, o: dict):
        if o["log"]:
            with tqdm(desc="reading the log", unit="case",
                      disable=not sys.stderr.isatty()) as bar:
                return services.estimate_log(o["log"], days=o["days"], tz=o["tz"],
                                             progress=bar.update)
        user = User.objects.filter(email=o["actor"].strip().lower()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail {o['actor']}.")
        return services.estimate_desk(user)

    def _request(self, o: dict) -> services.PlanRequest:
        scenarios = ()
        if o["volume"] or o["shift_left"] or o["new_weekly"] or o["sla_factor"] != 1:
            scenarios = (Scenario("what-if", o["volume"], o["shift_left"], o["new_weekly"],
                                  o["sla_factor"]),)
        return services.PlanRequest(
            weeks=o["weeks"], shift_hours=o["shift_hours"], max_occupancy=o["max_occupancy"],
            patience=o["patience"], shrinkage=o["shrinkage"], targets=dict(o["target"]),
            scenarios=scenarios, replications=o["replications"], seed=o["seed"],
            use_trend=not o["no_trend"])

    def _out(self, o: dict, data: dict, text: str) -> None:
        self.stdout.write(json.dumps(data, default=str) if o["json"] else text)
