"""Model files: versioned, checksummed, validated on load."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import joblib

from palier.triage.learning.model import TriageModel

FORMAT = 2  # 2: hashed features, weights as features × classes, requester block


class ModelUnavailable(Exception):
    """The model file is missing, altered or not a triage model."""


def file_name(version: int) -> str:
    return f"triage-v{version:05d}.joblib"


def save(model: TriageModel, directory: Path, version: int, meta: dict) -> tuple[Path, str]:
    """Write the model atomically (temporary file, then rename); return its path and
    SHA-256."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name(version)
    partial = path.with_suffix(".partial")
    joblib.dump({"format": FORMAT, "version": version, "meta": meta, "model": model}, partial,
                compress=3)
    digest = sha256(partial)
    os.replace(partial, path)
    return path, digest


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load(path: Path, expected_sha256: str) -> TriageModel:
    """Load a model written by :func:`save`.

    The file is unpickled only when its checksum matches the one recorded at training time,
    so a truncated, corrupted or substituted file is refused before any code in it runs.
    """
    try:
        if sha256(path) != expected_sha256:
            raise ModelUnavailable(f"{path.name} does not match its recorded checksum.")
        payload = joblib.load(path)
    except ModelUnavailable:
        raise
    except Exception as exc:  # missing, unreadable, truncated
        raise ModelUnavailable(f"{path.name} cannot be read: {exc}") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelUnavailable(f"{path.name} is not a triage model of format {FORMAT}.")
    model = payload.get("model")
    if not isinstance(model, TriageModel) or not model.fields:
        raise ModelUnavailable(f"{path.name} holds no trained field.")
    try:
        model.predict(["validation"])
    except Exception as exc:
        raise ModelUnavailable(f"{path.name} cannot predict: {exc}") from exc
    return model
