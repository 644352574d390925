"""Streaming readers of event logs: XES (plain or gzip) and CSV (pure; no Django).

Each yields ``(case_id, [event dict, …])`` one case at a time; an event dict maps attribute
keys to text, with the trace's attributes underneath the event's own. ``progress`` is called
with the bytes read so far (of the file as stored), for a progress bar.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

Progress = Callable[[int], None]
Case = tuple[str, list[dict[str, str]]]


class ReadError(ValueError):
    """The file cannot be read as an event log."""


def _open(path: Path) -> tuple[io.BufferedIOBase, io.BufferedIOBase]:
    """(stream to parse, raw file for progress); gzip is detected by its magic bytes."""
    raw = open(path, "rb")  # noqa: SIM115  closed by the caller
    gzipped = raw.read(2) == b"\x1f\x8b"
    raw.seek(0)
    return (gzip.GzipFile(fileobj=raw) if gzipped else raw), raw


def detect_format(path: Path) -> str:
    stream, raw = _open(path)
    try:
        head = stream.read(512).lstrip()
    except OSError as exc:
        raise ReadError(f"{path.name} cannot be read: {exc}.") from None
    finally:
        raw.close()
    return "xes" if head.startswith(b"<") else "csv"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xes(path: Path, case_key: str, progress: Progress | None = None) -> Iterator[Case]:
    """Stream the traces of an XES file (``iterparse``, elements freed as they end)."""
    stream, raw = _open(path)
    depth, trace_attrs, events, event = 0, {}, [], None
    try:
        for action, element in iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if action == "start":
                if tag in ("trace", "event"):
                    depth += 1
                    if tag == "trace":
                        trace_attrs, events = {}, []
                    else:
                        event = {}
                continue
            if tag == "event":
                events.append(event)
                event, depth = None, depth - 1
                element.clear()
            elif tag == "trace":
                depth -= 1
                yield _trace(trace_attrs, events, case_key)
                element.clear()
                if progress:
                    progress(raw.tell())
            elif "key" in element.attrib and depth:
                target = event if event is not None else trace_attrs
                if element.attrib["key"] not in target:  # nested attributes: the outer wins
                    target[element.attrib["key"]] = element.attrib.get("value", "")
    except ParseError as exc:
        raise ReadError(f"{path.name} is not valid XES: {exc}.") from None
    except (OSError, EOFError) as exc:
        raise ReadError(f"{path.name} cannot be read: {exc}.") from None
    finally:
        raw.close()


def _trace(attrs: dict[str, str], events: list[dict], case_key: str) -> Case:
    case_id = attrs.get(case_key) or attrs.get("concept:name") or ""
    return case_id, [{**{f"trace:{k}": v for k, v in attrs.items()}, **attrs, **e}
                     for e in events]


def read_csv(path: Path, case_key: str, progress: Progress | None = None, *,
             delimiter: str = ",") -> Iterator[Case]:
    """Read a CSV (plain or gzip) with a header; rows of a case need not be adjacent."""
    stream, raw = _open(path)
    cases: dict[str, list[dict[str, str]]] = {}
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text, delimiter=delimiter)
        if not reader.fieldnames or case_key not in reader.fieldnames:
            raise ReadError(f"{path.name} has no column {case_key!r} "
                            f"(columns: {', '.join(reader.fieldnames or [])}).")
        for i, row in enumerate(reader):
            cases.setdefault(row[case_key], []).append(row)
            if progress and i % 5000 == 0:
                progress(raw.tell())
    except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
        raise ReadError(f"{path.name} cannot be read as CSV: {exc}.") from None
    finally:
        raw.close()
    yield from cases.items()
