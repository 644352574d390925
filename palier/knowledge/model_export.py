"""Turning a sentence-transformers model directory into an ONNX graph, once per model.

The transformer is exported by torch (the only use of torch and transformers at run time),
its weights quantised to int8 per output channel (ONNX Runtime's dynamic quantisation:
half the CPU of a query, the same ranking quality, ADR 7), to
``<cache>/<name>-<key>-int8.onnx``, where the key hashes the model's configuration and
weights' size and modification time, so a changed model is exported again. The file is
written under a temporary name and renamed: processes starting together may each export,
and none ever reads a half-written graph. Every later load reads the file only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path

WEIGHTS = ("model.safetensors", "pytorch_model.bin")
OPSET = 17


class UnsupportedModel(Exception):
    """The directory is not a mean- or CLS-pooled sentence-transformers model."""


def pooling(model_dir: Path) -> str:
    """``mean`` or ``cls``: how the model's token vectors become one sentence vector."""
    modules = model_dir / "modules.json"
    if not modules.exists():
        return "mean"  # a bare transformer: sentence-transformers' own default
    for module in json.loads(modules.read_text()):
        if module.get("type", "").endswith(".Pooling"):
            config = json.loads((model_dir / module["path"] / "config.json").read_text())
            if config.get("pooling_mode_mean_tokens"):
                return "mean"
            if config.get("pooling_mode_cls_token"):
                return "cls"
            raise UnsupportedModel("only mean or CLS pooling is supported")
    return "mean"


def graph_path(model_dir: Path, cache_dir: Path) -> Path:
    """Where the model's graph is (or will be) cached."""
    return cache_dir / f"{model_dir.name or 'model'}-{_key(model_dir)}-int8.onnx"


def cached_graph(model_dir: Path, cache_dir: Path) -> Path:
    """The ONNX graph of the model's transformer, exported now if not cached yet."""
    target = graph_path(model_dir, cache_dir)
    if not target.exists():
        export(model_dir, target)
    return target


def export(model_dir: Path, target: Path) -> None:
    """Export the transformer (inputs ``input_ids`` and ``attention_mask``, any batch size
    and length; output the last hidden state), quantised, to ``target``, atomically."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = torch.ones((1, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as work:
        exported, quantised = Path(work) / "float.onnx", Path(work) / "int8.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on a fixed-graph export
            torch.onnx.export(LastHiddenState(model), (sample, sample), str(exported),
                              input_names=["input_ids", "attention_mask"],
                              output_names=["last_hidden_state"],
                              dynamic_axes={"input_ids": axes, "attention_mask": axes,
                                            "last_hidden_state": axes},
                              opset_version=OPSET, dynamo=False)
        root = logging.getLogger()  # the quantiser advises pre-processing on the root logger
        root.addFilter(_no_advice)
        try:
            quantize_dynamic(exported, quantised, weight_type=QuantType.QInt8, per_channel=True)
        finally:
            root.removeFilter(_no_advice)
        os.replace(quantised, target)


def _no_advice(record: logging.LogRecord) -> bool:
    """Drop ONNX Runtime's advice to pre-process the graph (a warning in every log)."""
    return "pre-processing before quantization" not in record.getMessage()


def _key(model_dir: Path) -> str:
    digest = hashlib.sha256((model_dir / "config.json").read_bytes())
    for name in WEIGHTS:
        weights = model_dir / name
        if weights.exists():
            stat = weights.stat()
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
            break
    else:
        raise UnsupportedModel(f"no weights ({' or '.join(WEIGHTS)}) in {model_dir}")
    return digest.hexdigest()[:16]


if __name__ == "__main__":  # python -m palier.knowledge.model_export MODEL_DIR CACHE_DIR
    import sys

    print(cached_graph(Path(sys.argv[1]), Path(sys.argv[2])))
