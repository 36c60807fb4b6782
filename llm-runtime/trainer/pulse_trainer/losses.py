"""Loss and log-probabilities computed on the answer tokens only.

The prompt (system message + fenced post) is ~85% of every sequence and its tokens are never
targets, so the vocabulary projection is run only from the first answer position on
(`logits_to_keep`). For Gemma's 256k vocabulary that projection dominates activation memory: at
batch 2 x 256 tokens full fp32 logits, their softmax and gradient take ~1.6 GB; the answer window
(~40-60 positions) takes a fifth of that.
"""

from __future__ import annotations

import inspect

import torch
import torch.nn.functional as F

from .encoding import IGNORE_INDEX


def _accepts_logits_to_keep(model) -> bool:
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return "logits_to_keep" in inspect.signature(base.forward).parameters


def answer_logits(model, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """(logits, targets) aligned so that logits[:, i] predicts targets[:, i]; targets hold
    IGNORE_INDEX outside the answers. Models without `logits_to_keep` get the full width."""
    labels = batch["labels"]
    width = labels.shape[1]
    scored = (labels[:, 1:] != IGNORE_INDEX).any(dim=0).nonzero()
    first = int(scored.min()) if len(scored) and _accepts_logits_to_keep(model) else 0
    extra = {"logits_to_keep": width - first} if first else {}
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                   **extra).logits
    return logits[:, :-1], labels[:, first + 1:]


def answer_loss(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean cross-entropy over answer tokens (what model(labels=...).loss computes, cheaper)."""
    logits, targets = answer_logits(model, batch)
    return F.cross_entropy(logits.float().flatten(0, 1), targets.flatten(),
                           ignore_index=IGNORE_INDEX)


def answer_logprobs(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Sum of log-probabilities of each row's answer tokens."""
    logits, targets = answer_logits(model, batch)
    logprobs = torch.log_softmax(logits.float(), dim=-1)
    picked = logprobs.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return (picked * (targets != IGNORE_INDEX)).sum(dim=-1)
