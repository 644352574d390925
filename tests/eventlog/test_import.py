# ruff: noqa: E501  (the XES fixture keeps one event per line)
"""``palier import eventlog``: XES (plain and gzip) and CSV into the analysis workspace."""

from __future__ import annotations

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from palier.eventlog import mapping
from palier.eventlog.models import EventLog, LogCase, LogEvent
from palier.eventlog.selectors import log_metrics
from palier.tickets.models import Ticket

XES = """<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
 <trace><string key="concept:name" value="C1"/>
  <event><string key="org:group" value="Desk"/><string key="lifecycle:transition" value="In Progress"/>
   <string key="impact" value="High"/><date key="time:timestamp" value="2012-01-02T09:00:00+01:00"/></event>
  <event><string key="org:group" value="Net 2nd"/><string key="lifecycle:transition" value="Awaiting Assignment"/>
   <string key="impact" value="High"/><date key="time:timestamp" value="2012-01-02T10:00:00+01:00"/></event>
  <event><string key="org:group" value="Desk"/><string key="lifecycle:transition" value="In Progress"/>
   <string key="impact" value="High"/><date key="time:timestamp" value="2012-01-02T11:00:00+01:00"/></event>
  <event><string key="org:group" value="Desk"/><string key="lifecycle:transition" value="Wait - User"/>
   <string key="impact" value="High"/><date key="time:timestamp" value="2012-01-02T11:30:00+01:00"/></event>
  <event><string key="org:group" value="Desk"/><string key="lifecycle:transition" value="In Progress"/>
   <string key="impact" value="High"/><date key="time:timestamp" value="2012-01-02T13:30:00+01:00"/></event>
  <event><string key="org:group" value="Desk"/><string key="lifecycle:transition" value="Resolved"/>
   <string key="impact" value="High"/><date key="time:timestamp" value="2012-01-02T14:00:00+01:00"/></event>
 </trace>
 <trace><string key="concept:name" value="C2"/>
  <event><string key="org:group" value="Desk"/><string key="lifecycle:transition" value="In Progress"/>
   <date key="time:timestamp" value="2012-01-03T09:00:00+00:00"/></event>
  <event><string key="org:group" value="Infra 3rd"/><string key="lifecycle:transition" value="In Progress"/>
   <date key="time:timestamp" value="2012-01-03T09:30:00+00:00"/></event>
  <event><string key="org:group" value="Infra 3rd"/><string key="lifecycle:transition" value="Resolved"/>
   <date key="time:timestamp" value="2012-01-03T10:30:00+00:00"/></event>
  <event><string key="org:group" value="Infra 3rd"/><string key="lifecycle:transition" value="In Progress"/>
   <date key="time:timestamp" value="2012-01-03T12:00:00+00:00"/></event>
  <event><string key="org:group" value="Infra 3rd"/><string key="lifecycle:transition" value="Closed"/>
   <date key="time:timestamp" value="2012-01-03T12:30:00+00:00"/></event>
 </trace>
 <trace><string key="concept:name" value="C3"/>
  <event><string key="org:group" value="Desk"/><string key="lifecycle:transition" value="Closed"/>
   <date key="time:timestamp" value="2012-01-04T09:00:00+00:00"/></event>
 </trace>
</log>"""

BPIC = {"activity": "lifecycle:transition", "group": "org:group", "priority": "impact",
        "level": {"column": "org:group", "suffix": {"2nd": "L2", "3rd": "L3"}},
        "resolved": ["Resolved"], "closed": ["Closed"], "pause": ["Wait*"],
        "levels": ["L1", "L2", "L3"]}


@pytest.fixture
def xes_gz(tmp_path):
    path = tmp_path / "small.xes.gz"
    path.write_bytes(gzip.compress(XES.encode()))
    return path


def run(*args) -> dict:
    out = StringIO()
    call_command("import", "eventlog", *map(str, args), stdout=out)
    return json.loads(out.getvalue())


def test_xes_gzip_import_with_a_yaml_mapping(db, xes_gz, tmp_path, desk):
    yaml_file = tmp_path / "map.yaml"
    yaml_file.write_text(json.dumps(BPIC))  # JSON is YAML
    result = run(xes_gz, "--mapping", yaml_file, "--name", "small")
    assert result["cases"] == 3 and result["events"] == 12 and result["levels"] == [
        "L1", "L2", "L3"]
    assert Ticket.objects.count() == 0  # the workspace is apart from live tickets
    assert LogEvent.objects.count() == 12
    c1 = LogCase.objects.get(case_id="C1")
    assert c1.level_trail == "L1>L2>L1" and c1.pingpong_level and c1.escalations == 1
    assert c1.de_escalations == 1 and c1.paused_seconds == 7200 and c1.priority == "High"
    assert (c1.seconds_l1, c1.seconds_l2) == (2 * 3600, 3600)  # L1 9-10, 11-11:30, 13:30-14
    c2 = LogCase.objects.get(case_id="C2")
    assert c2.skips == 1 and c2.reopens == 1 and c2.resolved_level == "L3"
    assert c2.seconds_l3 == 3600 + 1800  # 09:30-10:30 and 12:00-12:30 (reopened)
    c3 = LogCase.objects.get(case_id="C3")
    assert c3.fcr and c3.resolved
    out = log_metrics(desk.a.manager, EventLog.objects.get().pk)
    assert out["volume"] == 3 and out["paths"] == {"L1→L2": 1, "L1→L3": 1}
    assert out["reached_share"]["L3"] == pytest.approx(1 / 3, abs=1e-6)
    assert out["pingpong"] == 1


def test_csv_import_with_options(db, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "ticket,when,status,team,line\n"
        "T1,2020-05-01T08:00:00Z,open,SD,1\n"
        "T2,2020-05-01T08:10:00Z,open,SD,1\n"
        "T1,2020-05-01T09:00:00Z,work,NET,2\n"
        "T1,2020-05-01T10:00:00Z,done,NET,2\n"
        'T2,2020-05-01T08:40:00Z,"done, really",SD,1\n')
    result = run(path, "--case", "ticket", "--timestamp", "when", "--activity", "status",
                 "--group", "team", "--level-column", "line", "--level-values", "1=L1,2=L2",
                 "--resolved", "done*", "--levels", "L1,L2")
    assert result["cases"] == 2 and result["events"] == 5
    t1, t2 = LogCase.objects.get(case_id="T1"), LogCase.objects.get(case_id="T2")
    assert t1.level_trail == "L1>L2" and t1.resolve_seconds == 7200 and not t1.fcr
    assert t2.fcr and t2.resolve_seconds == 1800


def test_helpdesk_style_level_regex():
    rule = mapping.level_rule({"column": "service_level", "regex": r"Value (\d+)"})
    assert rule.level("Value 3") == "L3" and rule.level("") == "L1"
    suffix = mapping.level_rule({"column": "org:group", "suffix": "2nd=L2,3rd=L3"})
    assert [suffix.level(g) for g in ("G97", "V5 3rd", "G230 2nd")] == ["L1", "L3", "L2"]


def test_bad_inputs_fail_clearly_and_store_nothing(db, tmp_path, xes_gz):
    with pytest.raises(CommandError, match="not a file"):
        run(tmp_path / "missing.xes", "--resolved", "Resolved")
    with pytest.raises(CommandError, match="resolve or close"):
        run(xes_gz, "--activity", "lifecycle:transition")
    with pytest.raises(CommandError, match="Unknown level option"):
        bad = tmp_path / "bad.yaml"
        bad.write_text("level: {column: x, colour: red}\nresolved: [R]\n")
        run(xes_gz, "--mapping", bad)
    broken = tmp_path / "broken.xes"
    broken.write_text(XES[: len(XES) // 2])
    with pytest.raises(CommandError, match="not valid XES"):
        run(broken, "--resolved", "Resolved", "--activity", "lifecycle:transition")
    no_offset = tmp_path / "naive.csv"
    no_offset.write_text("case,t,a\nX,2020-05-01 08:00:00,done\n")
    with pytest.raises(CommandError, match="UTC offset"):
        run(no_offset, "--case", "case", "--timestamp", "t", "--activity", "a",
            "--resolved", "done")
    assert EventLog.objects.count() == 0 and LogCase.objects.count() == 0


def test_a_log_name_is_used_once(db, xes_gz):
    run(xes_gz, "--activity", "lifecycle:transition", "--resolved", "Resolved")
    with pytest.raises(CommandError, match="exists"):
        run(xes_gz, "--activity", "lifecycle:transition", "--resolved", "Resolved")
