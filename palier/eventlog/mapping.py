"""How the columns of an event log map onto a case's steps (pure; no Django).

Given as command options or a small YAML file::

    case: concept:name          # XES: the trace's name unless events carry it
    timestamp: time:timestamp
    activity: lifecycle:transition
    group: org:group
    level: {column: org:group, suffix: {"2nd": L2, "3rd": L3}, default: L1}
    priority: impact
    resolved: [Resolved]        # activities (glob patterns) that resolve a case
    closed: [Closed]
    pause: ["Wait*"]            # activities during which the case waits
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from fnmatch import fnmatchcase
from pathlib import Path


class MappingError(ValueError):
    """The mapping is incomplete or malformed."""


@dataclass(frozen=True)
class LevelRule:
    """How to read a level: a column, then a suffix table, an exact table or a regex."""

    column: str = ""
    suffix: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    regex: str = ""
    template: str = "L{1}"
    default: str = "L1"

    def level(self, value: str | None) -> str:
        text = (value or "").strip()
        if not text:
            return self.default
        for end, level in self.suffix.items():
            if text.endswith(" " + end) or text == end:
                return level
        if text in self.values:
            return self.values[text]
        if self.regex:
            match = re.search(self.regex, text)
            if match:
                return self.template.format(*([match.group(0), *match.groups()]))
        return self.default if (self.suffix or self.values or self.regex) else text


@dataclass(frozen=True)
class LogMapping:
    case: str = "concept:name"
    timestamp: str = "time:timestamp"
    activity: str = "concept:name"
    group: str = ""
    level: LevelRule = field(default_factory=LevelRule)
    priority: str = ""
    resource: str = ""
    category: str = ""
    resolved: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    pause: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()   # level order; default: sorted codes

    def is_(self, which: str, activity: str) -> bool:
        return any(fnmatchcase(activity, pattern) for pattern in getattr(self, which))

    def as_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["level"] = {f.name: getattr(self.level, f.name) for f in fields(self.level)}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def _patterns(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MappingError(f"'{key}' is a list of activity names or patterns.")


def _table(value: object, key: str) -> dict[str, str]:
    """{"2nd": "L2"} from a dict or from "2nd=L2,3rd=L3"."""
    if not value:
        return {}
    if isinstance(value, str):
        pairs = [item.split("=", 1) for item in value.split(",") if item.strip()]
        if any(len(p) != 2 for p in pairs):
            raise MappingError(f"'{key}' pairs are written VALUE=LEVEL, comma-separated.")
        return {a.strip(): b.strip() for a, b in pairs}
    if isinstance(value, dict):
        return {str(a): str(b) for a, b in value.items()}
    raise MappingError(f"'{key}' is a table of VALUE: LEVEL.")


def level_rule(spec: object) -> LevelRule:
    if spec is None:
        return LevelRule()
    if isinstance(spec, str):
        return LevelRule(column=spec)
    if not isinstance(spec, dict):
        raise MappingError("'level' is a column name or a table (column, suffix, values, "
                           "regex, template, default).")
    unknown = set(spec) - {"column", "suffix", "values", "regex", "template", "default"}
    if unknown:
        raise MappingError(f"Unknown level option(s): {', '.join(sorted(unknown))}.")
    rule = LevelRule(column=str(spec.get("column") or ""),
                     suffix=_table(spec.get("suffix"), "level.suffix"),
                     values=_table(spec.get("values"), "level.values"),
                     regex=str(spec.get("regex") or ""),
                     template=str(spec.get("template") or "L{1}"),
                     default=str(spec.get("default") or "L1"))
    if rule.regex:
        try:
            re.compile(rule.regex)
        except re.error as exc:
            raise MappingError(f"level.regex is not a regular expression: {exc}.") from None
    return rule


TEXT_KEYS = ("case", "timestamp", "activity", "group", "priority", "resource", "category")


def build(spec: Mapping[str, object]) -> LogMapping:
    """A mapping from a dict (YAML or options); unknown keys are refused."""
    unknown = set(spec) - {*TEXT_KEYS, "level", "resolved", "closed", "pause", "levels"}
    if unknown:
        raise MappingError(f"Unknown mapping key(s): {', '.join(sorted(unknown))}.")
    texts = {k: str(spec[k]) for k in TEXT_KEYS if spec.get(k)}
    mapping = LogMapping(**texts, level=level_rule(spec.get("level")),
                       resolved=_patterns(spec.get("resolved"), "resolved"),
                       closed=_patterns(spec.get("closed"), "closed"),
                       pause=_patterns(spec.get("pause"), "pause"),
                       levels=_patterns(spec.get("levels"), "levels"))
    if not mapping.resolved and not mapping.closed:
        raise MappingError("Say which activities resolve or close a case ('resolved', 'closed').")
    return mapping


def load_yaml(path: str | Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"Cannot read {path}: {exc.strerror}.") from None
    except yaml.YAMLError as exc:
        raise MappingError(f"{path} is not valid YAML: {exc}.") from None
    if not isinstance(data, dict):
        raise MappingError(f"{path} must hold a table of mapping keys.")
    return data
