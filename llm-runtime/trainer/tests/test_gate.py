"""The escalation gate: an adapter is promoted only if it beats the light scorer on the posts the
pipeline would send it, and the threshold it recommends is the best such one."""

import json

import pytest

from pulse_trainer import termination
from pulse_trainer.data import DatasetError, Example, _parse_line
from pulse_trainer.gate import escalation_gate, gate_for, macro_recall

# 40 held-out posts: the light scorer is right on every sure post (confidence 0.9) and wrong on
# every unsure one (0.2 to 0.55); the labels cycle through the three classes.
LABELS = ["negative", "neutral", "positive"]
GOLD = [LABELS[i % 3] for i in range(40)]
CONFIDENCE = [0.9 if i < 20 else 0.2 + 0.35 * (i - 20) / 19 for i in range(40)]
WRONG = {"negative": "positive", "neutral": "negative", "positive": "neutral"}
LIGHT = [g if c >= 0.6 else WRONG[g] for g, c in zip(GOLD, CONFIDENCE)]


def test_macro_recall_is_the_mean_recall_of_the_classes_present():
    assert macro_recall(["negative", "negative", "positive"], ["negative", "positive", "positive"]) == 0.75


def test_an_adapter_right_on_the_unsure_posts_passes_with_the_best_threshold():
    adapter = list(GOLD)  # right everywhere
    gate = escalation_gate(GOLD, adapter, LIGHT, CONFIDENCE)
    assert gate["passed"] is True
    # Every unsure post is under 0.6, every sure one above: 0.6 escalates all 20 and the combination
    # is perfect; 0.7-0.9 are as good but escalate more, so the smallest share wins.
    assert gate["threshold"] == 0.6
    assert gate["escalated"] == 20
    assert gate["combined"] == 1.0
    assert gate["adapterOnEscalated"] == 1.0
    assert gate["lightOnEscalated"] == 0.0
    assert gate["lightOnly"] == pytest.approx(macro_recall(GOLD, LIGHT), abs=1e-4)


def test_an_adapter_no_better_than_the_light_scorer_where_it_would_serve_fails():
    adapter = list(LIGHT)  # the light scorer's own mistakes
    gate = escalation_gate(GOLD, adapter, LIGHT, CONFIDENCE)
    assert gate["passed"] is False
    assert gate["threshold"] is None
    assert gate["reason"] == "DoesNotBeatLightScorer"
    assert gate["closestThreshold"] in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def test_an_adapter_good_only_on_sure_posts_fails():
    # Right where the light scorer is sure, wrong where it is not: escalation would only hurt.
    adapter = [g if c >= 0.6 else WRONG[WRONG[g]] for g, c in zip(GOLD, CONFIDENCE)]
    assert escalation_gate(GOLD, adapter, LIGHT, CONFIDENCE)["passed"] is False


def test_too_few_unsure_posts_decide_nothing():
    gate = escalation_gate(GOLD[:25], GOLD[:25], LIGHT[:25], CONFIDENCE[:25])
    assert gate == {"passed": False, "reason": "TooFewUnsure", "threshold": None, "evalSamples": 25,
                    "lightOnly": gate["lightOnly"], "minEscalated": 10}


def test_without_light_scores_the_gate_says_so():
    examples = [Example("t", "positive")] * 3
    assert gate_for(examples, ["positive"] * 3) == {"passed": None, "reason": "NoLightScores"}


def test_the_dataset_carries_the_light_verdict_and_the_termination_message_the_gate():
    ex = _parse_line(json.dumps({"text": "late again", "label": "negative", "lightLabel": "neutral",
                                 "lightConfidence": 0.41}), "x:1")
    assert (ex.light_label, ex.light_confidence) == ("neutral", 0.41)
    with pytest.raises(DatasetError, match="lightConfidence"):
        _parse_line(json.dumps({"text": "t", "label": "negative", "lightConfidence": 3}), "x:2")
    with pytest.raises(DatasetError, match="lightLabel"):
        _parse_line(json.dumps({"text": "t", "label": "negative", "lightLabel": "meh"}), "x:3")

    gate = escalation_gate(GOLD, list(GOLD), LIGHT, CONFIDENCE)
    payload = termination.success("/output/a/1", {"accuracy": 1, "macro_recall": 1, "eval_loss": 0.1,
                                                  "train_loss": 0.2, "steps": 3, "device": "cpu",
                                                  "quantization": "none", "gate": gate})
    assert json.loads(termination.fit(payload))["gate"]["threshold"] == 0.6
