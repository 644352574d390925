"""Readable text reports of estimates, plans and simulations (for the ``palier`` command)."""

from __future__ import annotations

from palier.capacity.erlang import Interval
from palier.capacity.estimation import Estimate
from palier.capacity.experiment import SimulationResult
from palier.capacity.model import HOURS_PER_WEEK
from palier.capacity.planner import Plan

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def interval_text(r: Interval) -> str:
    model = "Erlang A" if r.patience else "Erlang C"
    lines = [
        f"{model}: {r.rate * 3600:.1f} contacts/hour, AHT {r.aht:.0f} s, {r.agents} agents "
        f"(load {r.load:.2f} erlangs)",
        f"  probability of waiting   {r.p_wait:.4f}",
        f"  average speed of answer  {r.asa:.2f} s",
        f"  answered within {r.target:.0f} s   {100 * r.service_level:.1f} %",
        f"  occupancy                {100 * r.occupancy:.1f} %",
    ]
    if r.patience:
        lines.append(f"  abandoned                {100 * r.p_abandon:.2f} % "
                     f"(mean patience {r.patience:.0f} s)")
    return "\n".join(lines)


def estimate_text(est: Estimate) -> str:
    d = est.as_dict()
    rates = d["arrivals"]["rates"]
    lines = [f"History: {est.tickets} tickets, {d['window'][0]} → {d['window'][1]}",
             f"Arrivals: {sum(rates):.0f} tickets/week, trend {100 * d['arrivals']['trend']:+.2f} "
             "% per week",
             "  per day: " + ", ".join(f"{DAYS[i]} {sum(rates[i * 24:(i + 1) * 24]):.0f}"
                                       for i in range(7)),
             "Priority mix: " + ", ".join(f"{k} {100 * v:.1f} %"
                                          for k, v in d["priority_mix"].items()),
             "Entry level: " + ", ".join(f"{k} {100 * v:.1f} %" for k, v in d["entry"].items())]
    for level in d["levels"]:
        h = level["handling"]
        best = h.get("best", h)
        lines.append(
            f"{level['code']}: resolve {100 * level['resolve']:.1f} %, escalate "
            f"{100 * level['escalate']:.1f} %, return {100 * level['return']:.1f} %, pause "
            f"{100 * level['pause']:.1f} %; cost {level['hourly_cost']:.2f}/h")
        lines.append(f"    handling: {best['kind']} (mean {best['mean']:.0f} s)"
                     + (f", KS D={best['ks_statistic']:.3f} p={best['ks_pvalue']:.3f}, "
                        f"{h['count']} observations" if "count" in h else ""))
        for c in h.get("candidates", [])[1:]:
            lines.append(f"      vs {c['kind']}: AIC {c['aic']:.0f}, KS D={c['ks_statistic']:.3f}")
    if est.observed_escalation:
        lines.append("Observed escalation (resolved tickets): " + ", ".join(
            f"reached {k} {100 * v:.1f} %" for k, v in est.observed_escalation.items()))
    return "\n".join(lines)


def plan_text(plans: list[Plan]) -> str:
    base = plans[0]
    lines = [f"Plan over {base.hours // HOURS_PER_WEEK} weeks "
             f"(from week {base.start_week} of the history)"]
    for plan in plans:
        att = plan.attainment()
        lines.append(f"\n[{plan.scenario}] cost {plan.total_cost:,.0f}"
                     + ("" if plan is base else
                        f" ({plan.total_cost - base.total_cost:+,.0f} vs baseline)"))
        for i, code in enumerate(plan.levels):
            lines.append(f"  {code}: peak {plan.scheduled[i].max()} agents, "
                         f"{plan.scheduled[i].sum()} agent-hours, predicted "
                         f"{100 * att[code]:.1f} % within target, cost {plan.cost[code]:,.0f}")
    lines.append("\nFirst week, scheduled agents per hour (baseline):")
    for i, code in enumerate(base.levels):
        for d in range(7):
            row = base.scheduled[i][d * 24:(d + 1) * 24]
            if row.any():
                lines.append(f"  {code} {DAYS[d]} " + " ".join(f"{x:2d}" for x in row))
    return "\n".join(lines)


def simulation_text(result: SimulationResult) -> str:
    lines = [f"Simulation: {result.replications} replications × {result.hours} hours, "
             f"{result.tickets:,} tickets in {result.seconds:.2f} s; staffing cost "
             f"{result.cost:,.0f}"]
    for name, est in result.measures.items():
        if name.startswith("visits."):
            continue
        pct = name.split(".")[0] in ("response", "resolution", "resolved", "within",
                                     "utilisation", "escalated", "returned")
        scale, unit = (100, " %") if pct else (1, " s")
        lines.append(f"  {name:<18} {scale * est.mean:10.2f}{unit} ± "
                     f"{scale * est.half_width:.2f}")
    return "\n".join(lines)
