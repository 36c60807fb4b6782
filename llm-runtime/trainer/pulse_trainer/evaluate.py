"""Held-out evaluation: label-token scoring (accuracy, macro-recall) and eval loss."""

from __future__ import annotations

import torch

from .data import Example
from .gate import gate_for
from .encoding import IGNORE_INDEX, ChatRenderer, Encoded, encode_example
from .losses import answer_logprobs, answer_loss
from .prompt_format import LABELS, answer_prefix


def collate(batch: list[Encoded], pad_id: int, device: str) -> dict[str, torch.Tensor]:
    """Right-padded tensors; padding is masked out of attention and loss."""
    width = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, enc in enumerate(batch):
        n = len(enc.input_ids)
        ids[row, :n] = torch.tensor(enc.input_ids)
        labels[row, :n] = torch.tensor(enc.labels)
        mask[row, :n] = 1
    return {"input_ids": ids.to(device), "attention_mask": mask.to(device),
            "labels": labels.to(device)}


def _label_candidates(renderer: ChatRenderer, example: Example, max_length: int) -> list[Encoded]:
    """For each label, the prompt plus the answer tokens up to the end of the label value; only
    those answer tokens are scored, so the rationale text cannot bias the choice."""
    candidates = []
    for label in LABELS:
        enc = encode_example(renderer, Example(example.text, label), max_length)
        answer_ids = enc.input_ids[enc.prompt_len:]
        answer_text = renderer.tokenizer.decode(answer_ids)
        end = answer_text.find(answer_prefix(label))
        end = len(answer_text) if end < 0 else end + len(answer_prefix(label))
        keep = _tokens_covering(renderer.tokenizer, answer_ids, end)
        ids = enc.input_ids[:enc.prompt_len + keep]
        candidates.append(Encoded(ids, [IGNORE_INDEX] * enc.prompt_len + answer_ids[:keep],
                                  enc.prompt_len))
    return candidates


def _tokens_covering(tokenizer, ids: list[int], chars: int) -> int:
    """The fewest leading tokens whose decoded text reaches `chars` characters."""
    for count in range(1, len(ids) + 1):
        if len(tokenizer.decode(ids[:count])) >= chars:
            return count
    return len(ids)


@torch.no_grad()
def predict_labels(model, renderer: ChatRenderer, examples: list[Example], max_length: int,
                   device: str) -> list[str]:
    pad_id = renderer.tokenizer.pad_token_id
    predictions = []
    for example in examples:
        batch = collate(_label_candidates(renderer, example, max_length), pad_id, device)
        predictions.append(LABELS[int(answer_logprobs(model, batch).argmax())])
    return predictions


@torch.no_grad()
def eval_loss(model, encoded: list[Encoded], pad_id: int, batch_size: int, device: str) -> float:
    """Mean answer-token loss over the held-out set (token-weighted across batches)."""
    total, tokens = 0.0, 0
    for start in range(0, len(encoded), batch_size):
        batch = collate(encoded[start:start + batch_size], pad_id, device)
        n = int((batch["labels"][:, 1:] != IGNORE_INDEX).sum())
        total += float(answer_loss(model, batch)) * n
        tokens += n
    return total / max(tokens, 1)


def classification_metrics(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, per-class recall and macro-recall (TweetEval's sentiment metric) over the
    classes present in the gold labels."""
    accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)
    recall = {}
    for label in LABELS:
        support = [p for g, p in zip(gold, predicted) if g == label]
        if support:
            recall[label] = sum(p == label for p in support) / len(support)
    return {"accuracy": accuracy, "macro_recall": sum(recall.values()) / len(recall),
            "recall_per_label": recall}


def evaluate(model, renderer: ChatRenderer, examples: list[Example], encoded: list[Encoded],
             max_length: int, batch_size: int, device: str) -> dict:
    was_training = model.training
    model.eval()
    try:
        predicted = predict_labels(model, renderer, examples, max_length, device)
        metrics = classification_metrics([e.label for e in examples], predicted)
        metrics["gate"] = gate_for(examples, predicted)
        metrics["eval_loss"] = eval_loss(model, encoded, renderer.tokenizer.pad_token_id,
                                         batch_size, device)
    finally:
        model.train(was_training)
    metrics["eval_examples"] = len(examples)
    return metrics
