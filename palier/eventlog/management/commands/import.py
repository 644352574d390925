"""``palier import eventlog FILE``: XES or CSV into the analysis workspace.

The column mapping comes from ``--mapping FILE.yaml`` (see ``palier/eventlog/presets``) and/or
options, options winning. Example, BPIC 2013::

    palier import eventlog 07_bpic2013_incidents.xes.gz \
        --mapping palier/eventlog/presets/bpic2013.yaml
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from palier.core.errors import DomainError
from palier.eventlog import mapping as mappings
from palier.eventlog.services import import_log

TEXT_OPTIONS = ("case", "timestamp", "activity", "group", "priority", "resource", "category")
LIST_OPTIONS = ("resolved", "closed", "pause", "levels")


class Command(BaseCommand):
    help = "Import data into Palier's analysis workspace."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        log = sub.add_parser("eventlog", help="An XES (.xes, .xes.gz) or CSV event log.")
        log.add_argument("file")
        log.add_argument("--mapping", help="A YAML file with the column mapping.")
        log.add_argument("--name", help="The log's name in the workspace (default: file name).")
        log.add_argument("--format", choices=("xes", "csv"), help="Default: detected.")
        log.add_argument("--delimiter", default=",", help="CSV delimiter.")
        for key in TEXT_OPTIONS:
            log.add_argument(f"--{key}", help=f"Column (attribute) holding the {key}.")
        for key in LIST_OPTIONS:
            log.add_argument(f"--{key}", help="Comma-separated activities (glob patterns)"
                             if key != "levels" else "Level codes in order, comma-separated.")
        log.add_argument("--level-column", help="Column the level is read from.")
        log.add_argument("--level-suffix", help='Suffix table, e.g. "2nd=L2,3rd=L3".')
        log.add_argument("--level-values", help='Exact table, e.g. "Value 1=L1,Value 2=L2".')
        log.add_argument("--level-regex", help=r'e.g. "Value (\d+)" with --level-template.')
        log.add_argument("--level-template", help='e.g. "L{1}" (default).')
        log.add_argument("--level-default", help="Level when no rule matches (default L1).")

    def handle(self, *args, **options) -> None:
        try:
            mapping = mappings.build(self._spec(options))
        except mappings.MappingError as exc:
            raise CommandError(str(exc)) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc="Importing",
                   disable=not sys.stderr.isatty())
        try:
            log = import_log(path, mapping, name=options.get("name"), fmt=options.get("format"),
                             delimiter=options["delimiter"],
                             progress=lambda done: bar.update(done - bar.n))
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        finally:
            bar.close()
        self.stdout.write(json.dumps({"id": log.pk, "name": log.name, "cases": log.cases,
                                      "events": log.events, "levels": log.levels,
                                      "seconds": log.seconds}))

    def _spec(self, options: dict) -> dict:
        spec = mappings.load_yaml(options["mapping"]) if options.get("mapping") else {}
        for key in TEXT_OPTIONS + LIST_OPTIONS:
            if options.get(key):
                spec[key] = options[key]
        level = spec.get("level")
        level = dict(level) if isinstance(level, dict) else ({"column": level} if level else {})
        for key in ("column", "suffix", "values", "regex", "template", "default"):
            if options.get(f"level_{key}"):
                level[key] = options[f"level_{key}"]
        if level:
            spec["level"] = level
        return spec
