"""The answer-window loss must equal transformers' own full-width loss, padding included."""

import torch

from conftest import make_rows
from pulse_trainer.data import Example
from pulse_trainer.encoding import IGNORE_INDEX, ChatRenderer, encode_example
from pulse_trainer.evaluate import collate
from pulse_trainer.losses import answer_logits, answer_logprobs, answer_loss


def _batch(tiny_model_dir):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    renderer = ChatRenderer(AutoTokenizer.from_pretrained(tiny_model_dir))
    rows = make_rows(3) + [{"text": "a much longer post " * 6, "label": "neutral"}]
    encoded = [encode_example(renderer, Example(r["text"], r["label"]), 512) for r in rows]
    assert len({len(e.input_ids) for e in encoded}) > 1  # right padding is exercised
    return model, collate(encoded, renderer.tokenizer.pad_token_id, "cpu")


@torch.no_grad()
def test_answer_loss_equals_the_full_loss_but_projects_fewer_positions(tiny_model_dir):
    model, batch = _batch(tiny_model_dir)
    torch.testing.assert_close(answer_loss(model, batch), model(**batch).loss)
    logits, targets = answer_logits(model, batch)
    assert logits.shape[1] == targets.shape[1] < batch["input_ids"].shape[1] // 2


@torch.no_grad()
def test_answer_logprobs_match_a_full_width_computation(tiny_model_dir):
    model, batch = _batch(tiny_model_dir)
    full = torch.log_softmax(model(input_ids=batch["input_ids"],
                                   attention_mask=batch["attention_mask"]).logits[:, :-1], -1)
    targets = batch["labels"][:, 1:]
    picked = full.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    expected = (picked * (targets != IGNORE_INDEX)).sum(-1)
    torch.testing.assert_close(answer_logprobs(model, batch), expected)
