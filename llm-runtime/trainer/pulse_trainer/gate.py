"""The escalation gate: does the adapter beat the light scorer on the posts it would receive?

A pipeline sends the LLM only the posts whose light-scorer confidence is under its escalation
threshold. An adapter earns its place only if, on the held-out posts it would receive, its
macro-recall beats the light scorer's, and the combination (light on the sure posts, the adapter
on the unsure ones) beats the light scorer alone. The gate tries each threshold and recommends the
one with the best combined macro-recall among those where both hold; none: the adapter is not
promoted. It needs the light scorer's verdict on each held-out post (dataset fields `lightLabel`
and `lightConfidence`, as the labelled topic writes them)."""

from __future__ import annotations

from .prompt_format import LABELS

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# Fewer unsure posts than this say nothing: one post moves macro-recall by several points.
MIN_ESCALATED = 10


def macro_recall(gold: list[str], predicted: list[str]) -> float:
    """Mean per-class recall over the classes present in `gold` (TweetEval's sentiment metric)."""
    recalls = []
    for label in LABELS:
        support = [p for g, p in zip(gold, predicted) if g == label]
        if support:
            recalls.append(sum(p == label for p in support) / len(support))
    return sum(recalls) / len(recalls)


def _row(gold, adapter, light, confidence, threshold) -> dict:
    unsure = [i for i, c in enumerate(confidence) if c < threshold]
    combined = [adapter[i] if confidence[i] < threshold else light[i] for i in range(len(gold))]
    sub = [gold[i] for i in unsure]
    return {
        "threshold": threshold,
        "escalated": len(unsure),
        "lightOnEscalated": round(macro_recall(sub, [light[i] for i in unsure]), 4) if unsure else None,
        "adapterOnEscalated": round(macro_recall(sub, [adapter[i] for i in unsure]), 4) if unsure else None,
        "combined": round(macro_recall(gold, combined), 4),
    }


def escalation_gate(gold: list[str], adapter: list[str], light: list[str], confidence: list[float],
                    thresholds=THRESHOLDS, min_escalated: int = MIN_ESCALATED) -> dict:
    """The gate's verdict, compact for the termination message: `passed`, the recommended
    `threshold` (null when it fails), and the figures at that threshold (when it fails: at the
    threshold where the adapter came closest)."""
    if not (len(gold) == len(adapter) == len(light) == len(confidence)) or not gold:
        raise ValueError("the gate needs one adapter label, light label and confidence per gold label")
    light_only = round(macro_recall(gold, light), 4)
    rows = [_row(gold, adapter, light, confidence, t) for t in thresholds]
    rows = [r for r in rows if r["escalated"] >= min_escalated]
    if not rows:
        return {"passed": False, "reason": "TooFewUnsure", "threshold": None, "evalSamples": len(gold),
                "lightOnly": light_only, "minEscalated": min_escalated}
    winners = [r for r in rows
               if r["adapterOnEscalated"] > r["lightOnEscalated"] and r["combined"] > light_only]
    if winners:
        best = max(winners, key=lambda r: (r["combined"], -r["escalated"]))
        return {"passed": True, "reason": "BeatsLightScorer", **best, "evalSamples": len(gold),
                "lightOnly": light_only}
    closest = max(rows, key=lambda r: (r["adapterOnEscalated"] - r["lightOnEscalated"], r["combined"]))
    return {"passed": False, "reason": "DoesNotBeatLightScorer", **closest, "threshold": None,
            "closestThreshold": closest["threshold"], "evalSamples": len(gold), "lightOnly": light_only}


def gate_for(examples, predicted: list[str]) -> dict:
    """The gate on held-out examples; `NoLightScores` when any lacks the light scorer's verdict."""
    if any(e.light_label is None or e.light_confidence is None for e in examples):
        return {"passed": None, "reason": "NoLightScores"}
    return escalation_gate([e.label for e in examples], predicted, [e.light_label for e in examples],
                           [e.light_confidence for e in examples])
