"""Reading and validating the labelled-posts JSONL, and the train/eval split."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from .prompt_format import LABELS


class DatasetError(ValueError):
    """Bad input data; the message names the file and line so a user can fix it."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    rationale: str | None = None
    crisis: bool = False
    # The light scorer's verdict on the post, when the dataset has it (the labelled topic writes
    # it): what the escalation gate compares the adapter with.
    light_label: str | None = None
    light_confidence: float | None = None


def _parse_line(raw: str, where: str) -> Example:
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as err:
        raise DatasetError(f"{where}: not valid JSON ({err.msg})") from None
    if not isinstance(row, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(row).__name__}")
    for field in ("text", "label"):
        if field not in row:
            raise DatasetError(f"{where}: missing field '{field}'")
    text, label = row["text"], row["label"]
    if not isinstance(text, str) or not text.strip():
        raise DatasetError(f"{where}: field 'text' must be a non-empty string")
    if label not in LABELS:
        raise DatasetError(
            f"{where}: unknown label {label!r}; expected one of {', '.join(LABELS)}")
    rationale = row.get("rationale")
    if rationale is not None and not isinstance(rationale, str):
        raise DatasetError(f"{where}: field 'rationale' must be a string")
    crisis = row.get("crisis", False)
    if not isinstance(crisis, bool):
        raise DatasetError(f"{where}: field 'crisis' must be true or false")
    light_label = row.get("lightLabel")
    if light_label is not None and light_label not in LABELS:
        raise DatasetError(f"{where}: unknown lightLabel {light_label!r}; expected one of {', '.join(LABELS)}")
    light_confidence = row.get("lightConfidence")
    if light_confidence is not None and (isinstance(light_confidence, bool)
                                         or not isinstance(light_confidence, (int, float))
                                         or not 0 <= light_confidence <= 1):
        raise DatasetError(f"{where}: field 'lightConfidence' must be a number from 0 to 1")
    return Example(text=text, label=label, rationale=rationale or None, crisis=crisis,
                   light_label=light_label,
                   light_confidence=None if light_confidence is None else float(light_confidence))


def load_jsonl(path: str | Path) -> list[Example]:
    """All examples of a JSONL file; blank lines are skipped, anything else malformed is an error."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                examples.append(_parse_line(raw, f"{path}:{number}"))
    if not examples:
        raise DatasetError(f"{path}: no examples (the file is empty)")
    return examples


def split_train_eval(examples: list[Example], fraction: float,
                     seed: int) -> tuple[list[Example], list[Example]]:
    """Seeded, stratified hold-out: about `fraction` of each label goes to eval (at least one
    example in all), so that a small or skewed set still evaluates every class it has."""
    if len(examples) < 2:
        raise DatasetError("need at least 2 examples to hold some out for evaluation")
    rng = random.Random(seed)
    train, held_out = [], []
    for label in LABELS:
        group = [e for e in examples if e.label == label]
        rng.shuffle(group)
        n_eval = round(len(group) * fraction) if len(group) > 1 else 0
        held_out.extend(group[:n_eval])
        train.extend(group[n_eval:])
    if not held_out:
        held_out.append(train.pop(rng.randrange(len(train))))
    rng.shuffle(train)
    rng.shuffle(held_out)
    return train, held_out
