"""Labelled ticket texts from a CSV file (real CSV parsing: texts hold newlines)."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from palier.triage.learning.text import join


class BadData(ValueError):
    """The file or the columns asked for cannot be used."""


@dataclass
class Labelled:
    texts: list[str]
    labels: list[str]
    requesters: list[str] | None  # None: the file names no requester column


def read_csv(path: Path, text_columns: list[str], label: str,
             limit: int | None = None) -> tuple[list[str], list[str]]:
    """Texts (the named columns joined, first one first) and labels; rows without a label
    are skipped."""
    data = read_labelled(path, text_columns, label, limit=limit)
    return data.texts, data.labels


def read_labelled(path: Path, text_columns: list[str], label: str,
                  requester: str | None = None, limit: int | None = None) -> Labelled:
    """Texts, labels and, when a ``requester`` column is named, each row's requester
    (an e-mail address or a caller's name)."""
    csv.field_size_limit(sys.maxsize)
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise BadData(f"Cannot read {path}: {exc.strerror}.") from None
    texts: list[str] = []
    labels: list[str] = []
    people: list[str] = []
    wanted = [*text_columns, label, *([requester] if requester else [])]
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in wanted if c not in (reader.fieldnames or [])]
        if missing:
            raise BadData(f"{path.name} has no column {', '.join(missing)}; it has: "
                          f"{', '.join(reader.fieldnames or [])}.")
        for row in reader:
            value = (row[label] or "").strip()
            if not value:
                continue
            texts.append(join(row[c] for c in text_columns))
            labels.append(value)
            if requester:
                people.append((row[requester] or "").strip())
            if limit and len(texts) >= limit:
                break
    if len(set(labels)) < 2:
        raise BadData(f"{path.name}: the label {label!r} needs at least two values.")
    return Labelled(texts, labels, people if requester else None)
