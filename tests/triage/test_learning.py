"""The pure learning code: fit, calibrated ranking, explain, metrics, model files."""

from __future__ import annotations

import random

import numpy as np
import pytest

from palier.triage.learning import calibration, metrics, model, persist
from palier.triage.learning.data import BadData, read_csv, read_labelled
from palier.triage.learning.text import normalise, title_of

WORDS = {"net": "vpn network wifi router dns switch", "pwd": "password reset locked login",
         "hw": "laptop screen keyboard mouse broken"}


def corpus(n: int = 240, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        label = rng.choice(list(WORDS))
        noise = rng.choice(WORDS[rng.choice(list(WORDS))].split())
        texts.append(" ".join(rng.choices(WORDS[label].split(), k=4)) + f" {noise} please")
        labels.append(label)
    return texts, labels


def test_predictions_rank_every_label_with_probabilities_summing_to_one():
    texts, labels = corpus()
    fitted = model.fit(texts, {"category": labels})
    ranked = fitted.predict(["my vpn router is down"])[0]["category"]
    assert ranked.label == "net" and set(ranked.labels) == set(WORDS)
    assert sum(ranked.probabilities) == pytest.approx(1.0)
    assert list(ranked.probabilities) == sorted(ranked.probabilities, reverse=True)


def test_a_field_with_one_value_is_not_learned():
    texts, labels = corpus()
    fitted = model.fit(texts, {"category": labels, "constant": ["x"] * len(texts),
                               "unknown": [None] * len(texts)})
    assert set(fitted.fields) == {"category"}


def test_explain_names_the_words_that_pushed_towards_the_label():
    texts, labels = corpus()
    fitted = model.fit(texts, {"category": labels})
    terms = [t for t, _ in fitted.explain("password locked after reset", "category", "pwd")]
    assert {"password", "locked", "reset"} & set(terms[:3])
    assert fitted.explain("anything", "category", "no-such-label") == []


def test_confidence_is_calibrated_on_noisy_labels():
    texts, labels = corpus(600)
    rng = random.Random(1)
    noisy = [lb if rng.random() > 0.3 else rng.choice(list(WORDS)) for lb in labels]
    evaluation = metrics.cross_validate(texts, noisy, folds=3)
    confident = np.array(evaluation.confidence)
    accuracy = evaluation.correct().mean()
    assert abs(confident.mean() - accuracy) < 0.12  # calibrated: mean confidence ≈ accuracy


def test_coverage_at_target_accuracy():
    conf = [0.99, 0.95, 0.9, 0.8, 0.5, 0.4]
    correct = np.array([True, True, True, False, True, False])
    assert metrics.coverage_at(conf, correct, 0.75) == (5 / 6, 0.5)
    assert metrics.coverage_at(conf, correct, 1.0) == (0.5, 0.9)
    assert metrics.coverage_at([0.9], np.array([False]), 0.9) == (0.0, 1.0)


def test_cross_validation_reports_every_figure():
    texts, labels = corpus()
    figures = metrics.cross_validate(texts, labels, folds=3).summary()
    assert figures["tickets"] == 240 and figures["classes"] == 3
    assert figures["accuracy"] > 0.9 and figures["top3_accuracy"] == 1.0
    assert 0 < figures["auto_routing"]["coverage"] <= 1


def test_model_files_load_only_with_their_checksum(tmp_path):
    texts, labels = corpus()
    path, digest = persist.save(model.fit(texts, {"c": labels}), tmp_path, 3, {})
    assert path.name == "triage-v00003.joblib"
    assert persist.load(path, digest).predict(["vpn"])[0]["c"].label == "net"
    with pytest.raises(persist.ModelUnavailable, match="checksum"):
        persist.load(path, "0" * 64)
    path.write_bytes(b"not a model")
    with pytest.raises(persist.ModelUnavailable):
        persist.load(path, persist.sha256(path))
    with pytest.raises(persist.ModelUnavailable, match="cannot be read"):
        persist.load(tmp_path / "missing.joblib", digest)


def test_normalise_drops_images_and_lowercases():
    assert normalise("Outlook [cid:image001.png@01D2] CRASHES") == "outlook crashes"


def test_csv_reader_joins_columns_and_names_missing_ones(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('title,body,group\n"VPN down","line one\nline two",net\nx,y,\nA,B,pwd\n')
    texts, labels = read_csv(path, ["title", "body"], "group")
    assert texts == ["VPN down\nline one\nline two", "A\nB"] and labels == ["net", "pwd"]
    with pytest.raises(BadData, match="no column nope"):
        read_csv(path, ["nope"], "group")


def test_the_requester_is_learned_and_optional():
    rng = random.Random(2)
    texts, labels, people = [], [], []
    for _ in range(200):  # the same words; who asks decides the group
        who = rng.choice(["ana@acme.test", "bob@acme.test"])
        texts.append("printer " + " ".join(rng.choices(WORDS["hw"].split(), k=3)))
        labels.append("print-a" if who.startswith("ana") else "print-b")
        people.append(who)
    fitted = model.fit(texts, {"group": labels}, requesters=people)
    text = "printer screen broken"
    assert fitted.predict([text], ["ANA@acme.test "])[0]["group"].label == "print-a"
    assert fitted.predict([text], ["bob@acme.test"])[0]["group"].label == "print-b"
    assert fitted.predict([text])[0]["group"].label in {"print-a", "print-b"}
    terms = dict(fitted.explain(text, "group", "print-b", requester="bob@acme.test"))
    assert "bob@acme.test" in terms


def test_a_ticket_predicts_the_same_alone_or_in_a_batch():
    texts, labels = corpus()
    fitted = model.fit(texts, {"category": labels})
    batch = fitted.predict(texts[:5])
    assert [fitted.predict([t])[0] for t in texts[:5]] == batch


def test_intake_path_predicts_what_the_batch_does():
    """``predict_one`` (no sparse matrices) gives the batch's ranking and probabilities,
    with the requester block and with words the model never saw."""
    texts, labels = corpus()
    people = [f"user{i % 7}@acme.test" for i in range(len(texts))]
    fitted = model.fit(texts, {"category": labels, "who": [p[:5] for p in people]},
                       requesters=people)
    new = [*texts[:20], "zzz unseen words only", ""]
    who = [*people[:20], None, "nobody@else.test"]
    for text, person, batch in zip(new, who, fitted.predict(new, who), strict=True):
        one = fitted.predict_one(text, person)
        assert one.keys() == batch.keys()
        for name, ranked in batch.items():
            assert one[name].labels[0] == ranked.labels[0]
            assert dict(zip(one[name].labels, one[name].probabilities, strict=True)) == \
                pytest.approx(dict(zip(ranked.labels, ranked.probabilities, strict=True)),
                              abs=1e-6)


def test_large_desks_train_on_sampled_negatives_without_the_character_block():
    texts, labels = corpus(300)
    params = model.Params(negatives=40, char_up_to=100)
    fitted = model.fit(texts, {"category": labels}, params)
    assert [b.name for b in fitted.space.blocks] == ["word"]
    evaluation = metrics.cross_validate(*corpus(300, seed=3), folds=3, params=params)
    assert evaluation.summary()["accuracy"] > 0.9


def test_the_threshold_keeps_a_margin_above_the_target_accuracy():
    conf = np.linspace(1, 0, 200)
    correct = np.array([i % 20 != 0 for i in range(180)] + [False] * 20)  # 95 %, then 0
    plain = metrics.coverage_at(conf, correct, 0.9)[1]
    assert calibration.threshold_for(conf, correct, 0.9, margin=0) == plain
    assert plain < calibration.threshold_for(conf, correct, 0.9, margin=1) < 1.0
    assert calibration.threshold_for(conf, np.zeros(200, bool), 0.9) == 1.0


def test_held_out_routing_applies_each_models_own_threshold():
    evaluation = metrics.Evaluation(
        truth=["a", "a", "b", "b"], predicted=["a", "b", "b", "a"],
        confidence=[0.9, 0.8, 0.6, 0.4], top3_hit=[True] * 4, threshold=[0.85, 0.85, 0.5, 0.5])
    routing = evaluation.summary()["auto_routing"]
    assert (routing["coverage"], routing["accuracy"]) == (0.5, 1.0)  # tickets 1 and 3


def test_model_weights_stay_small_and_float32():
    texts, labels = corpus()
    fitted = model.fit(texts, {"category": labels})
    weights = fitted.fields["category"].weights
    assert weights.dtype == np.float32 and weights.flags.c_contiguous
    assert weights.shape == (fitted.space.size, 3) and fitted.space.size < 5000


def test_title_is_the_first_line_of_a_joined_document():
    assert title_of("VPN down\nsince this morning") == "VPN down"
    assert title_of("one part only") == ""


def test_csv_reader_returns_the_requester_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("title,caller,group\nVPN down,Ana,net\nLocked,Bob,pwd\n")
    data = read_labelled(path, ["title"], "group", requester="caller")
    assert data.requesters == ["Ana", "Bob"] and data.labels == ["net", "pwd"]
    assert read_labelled(path, ["title"], "group").requesters is None
    with pytest.raises(BadData, match="no column who"):
        read_labelled(path, ["title"], "group", requester="who")
