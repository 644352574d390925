"""Event-log benchmark: import BPIC 2013 (and the helpdesk log) into the analysis workspace,
print the import time and the tier metrics, and check them against an independent count.

    .venv/bin/python bench/eventlog.py [--data ../shared/data] [--keep]

The database is ``var/bench/eventlog.sqlite3`` (made afresh). The import goes through
``palier.eventlog.services.import_log`` with ``palier/eventlog/presets/bpic2013.yaml``; the
metrics come from the SQL aggregation (``palier.reports.aggregate``). The independent count
reads the raw gzip with regular expressions (no XML parser, no mapping, no Palier code) and
applies the definitions of ADR 9 directly: the level is the suffix of ``org:group``
(" 2nd" → L2, " 3rd" → L3, else L1); events sorted by time; "Resolved" resolves, "Closed" or
"Cancelled" closes (and resolves when nothing did), "Wait*" pauses, any other event after a
resolution reopens. Every figure must agree within 0.5 %.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import sys
import time
from collections import Counter
from datetime import datetime
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _common  # noqa: E402

DB = ROOT / "var" / "bench" / "eventlog.sqlite3"
TOLERANCE = 0.005
TRACE = re.compile(r"<trace>(.*?)</trace>", re.S)
EVENT = re.compile(r"<event>(.*?)</event>", re.S)
ATTR = re.compile(r'<(?:string|date)\s+key="([^"]+)"\s+value="([^"]*)"\s*/>')


# -- the independent count --------------------------------------------------------------------

def raw_cases(path: Path) -> list[tuple[str, list[dict]]]:
    with gzip.open(path, "rt", encoding="utf-8") as raw:
        text = raw.read()
    out = []
    for trace in TRACE.findall(text):
        head = trace.split("<event>", 1)[0]
        case = dict(ATTR.findall(head)).get("concept:name", "")
        events = [{k: html.unescape(v) for k, v in ATTR.findall(body)}
                  for body in EVENT.findall(trace)]
        if events:
            out.append((html.unescape(case), events))
    return out


def level_of(group: str) -> str:
    return "L2" if group.endswith(" 2nd") else "L3" if group.endswith(" 3rd") else "L1"


def collapsed(values: list[str]) -> list[str]:
    return [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]


def independent(path: Path) -> dict:
    """The figures counted straight from the raw file."""
    n, reached, pairs = 0, Counter(), Counter()
    pp_level = pp_group = pp_any = 0
    seconds, paused_total = Counter(), 0.0
    for _, events in raw_cases(path):
        rows = sorted(((datetime.fromisoformat(e["time:timestamp"]), e) for e in events),
                      key=lambda r: r[0])
        levels = [level_of(e.get("org:group", "")) for _, e in rows]
        groups = [e.get("org:group", "") for _, e in rows]
        n += 1
        reached.update(set(levels))
        trail = collapsed(levels)
        pairs.update(f"{a}→{b}" for a, b in pairwise(trail) if b > a)
        lv = len(set(trail)) < len(trail)
        gr_trail = collapsed(groups)
        gr = len(set(gr_trail)) < len(gr_trail)
        pp_level, pp_group, pp_any = pp_level + lv, pp_group + gr, pp_any + (lv or gr)
        paused_total += _times(rows, levels, seconds)
    return {"cases": n, "reached_share": {k: reached[k] / n for k in ("L1", "L2", "L3")},
            "paths": dict(pairs), "pingpong": pp_any, "pingpong_level": pp_level,
            "pingpong_group": pp_group, "level_hours": {k: seconds[k] / 3600 for k in seconds},
            "paused_hours": paused_total / 3600}


def _times(rows: list, levels: list[str], seconds: Counter) -> float:
    """Adds each interval to the level of the event that opens it; returns paused time."""
    resolved = paused = False
    paused_seconds = 0.0
    for i, (at, event) in enumerate(rows):
        status = event.get("lifecycle:transition", "")
        if status == "Resolved":
            resolved, paused = True, False
        elif status in ("Closed", "Cancelled"):
            resolved = True
        elif status.startswith("Wait"):
            paused = paused or not resolved
        else:
            resolved = paused = False
        if i + 1 < len(rows) and not resolved:
            gap = (rows[i + 1][0] - at).total_seconds()
            if paused:
                paused_seconds += gap
            else:
                seconds[levels[i]] += gap
    return paused_seconds


# -- Palier -------------------------------------------------------------------------------------

def palier_import(path: Path, preset: str, name: str) -> tuple[dict, float]:
    from palier.eventlog import mapping
    from palier.eventlog.models import LogCase
    from palier.eventlog.services import import_log
    from palier.reports import aggregate

    spec = mapping.load_yaml(ROOT / "palier" / "eventlog" / "presets" / preset)
    started = time.perf_counter()
    log = import_log(path, mapping.build(spec), name=name)
    seconds = time.perf_counter() - started
    cases = LogCase.objects.filter(log=log)
    figures = aggregate.case_metrics(cases, log.ranks)
    figures["cases"], figures["events"] = log.cases, log.events
    return figures, seconds


def compare(ours: dict, theirs: dict) -> dict:
    """Relative differences of every checked figure; ok when all are within 0.5 %."""
    checks = {"cases": (ours["cases"], theirs["cases"]),
              "pingpong": (ours["pingpong"], theirs["pingpong"]),
              "pingpong_level": (ours["pingpong_level"], theirs["pingpong_level"]),
              "pingpong_group": (ours["pingpong_group"], theirs["pingpong_group"]),
              "paused_hours": (ours["paused_seconds"] / 3600, theirs["paused_hours"])}
    for level, value in theirs["reached_share"].items():
        checks[f"reached_share.{level}"] = (ours["reached_share"][level], value)
    for pair in set(theirs["paths"]) | set(ours["paths"]):
        checks[f"paths.{pair}"] = (ours["paths"].get(pair, 0), theirs["paths"].get(pair, 0))
    for level, hours in theirs["level_hours"].items():
        checks[f"level_hours.{level}"] = (ours["level_seconds"].get(level, 0) / 3600, hours)
    diffs = {k: (abs(a - b) / abs(b) if b else float(a != 0)) for k, (a, b) in checks.items()}
    return {"ok": all(d <= TOLERANCE for d in diffs.values()),
            "worst": max(diffs.items(), key=lambda kv: kv[1]),
            "relative_differences": {k: round(v, 6) for k, v in sorted(diffs.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    data = Path(args.data)
    bpic = data / "bpic2013_volvo_it_incidents" / "07_bpic2013_incidents.xes.gz"
    helpdesk = data / "helpdesk_event_log" / "helpdesk.xes.gz"
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["PALIER_DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    ours, import_seconds = palier_import(bpic, "bpic2013.yaml", "BPIC 2013 incidents")
    started = time.perf_counter()
    theirs = independent(bpic)
    independent_seconds = time.perf_counter() - started
    helpdesk_figures, helpdesk_seconds = palier_import(helpdesk, "helpdesk.yaml", "Helpdesk")
    print(json.dumps({
        "machine": _common.machine(),
        "bpic2013": {
            "import_seconds": round(import_seconds, 2), "cases": ours["cases"],
            "events": ours["events"], "reached_share": ours["reached_share"],
            "paths": ours["paths"], "pingpong": ours["pingpong"],
            "pingpong_level": ours["pingpong_level"], "pingpong_group": ours["pingpong_group"],
            "hours_per_level": {k: round(v / 3600, 1) for k, v in ours["level_seconds"].items()},
            "paused_hours": round(ours["paused_seconds"] / 3600, 1),
            "fcr_rate": ours["fcr_rate"], "escalation_rate": ours["escalation_rate"],
            "reopen_rate": ours["reopen_rate"],
            "resolve_hours_by_level": {k: round(v / 3600, 1) if v else None
                                       for k, v in ours["resolve_seconds_by_level"].items()},
            "independent_count": {**theirs, "seconds": round(independent_seconds, 2)},
            "check": compare(ours, theirs),
        },
        "helpdesk": {"import_seconds": round(helpdesk_seconds, 2),
                     "cases": helpdesk_figures["cases"], "events": helpdesk_figures["events"],
                     "reached_share": helpdesk_figures["reached_share"],
                     "paths": helpdesk_figures["paths"],
                     "pingpong": helpdesk_figures["pingpong"],
                     "fcr_rate": helpdesk_figures["fcr_rate"]},
    }, indent=1, default=str))
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
