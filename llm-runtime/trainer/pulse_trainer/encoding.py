"""Turning examples into token ids with the base model's chat template (or Pulse's fallback)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .data import DatasetError, Example
from .prompt_format import FALLBACK_CHAT_TEMPLATE, build_messages, fold_system_into_user

log = logging.getLogger(__name__)

IGNORE_INDEX = -100  # label value the loss skips: prompt tokens are context, not targets


@dataclass
class Encoded:
    input_ids: list[int]
    labels: list[int]  # IGNORE_INDEX on the prompt, the token ids on the answer
    prompt_len: int
    truncated: bool = False


class ChatRenderer:
    """Renders Pulse messages to text exactly as vLLM will for the same tokenizer."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.used_fallback = not getattr(tokenizer, "chat_template", None)
        if self.used_fallback:
            log.info("tokenizer has no chat template: using Pulse's fallback template")
            tokenizer.chat_template = FALLBACK_CHAT_TEMPLATE
        self.fold_system = not self._accepts_system_role()

    def _accepts_system_role(self) -> bool:
        probe = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]
        try:
            self.tokenizer.apply_chat_template(probe, tokenize=False)
            return True
        except Exception:  # templates signal "no system role" with a template error of their own
            log.info("chat template rejects a system role: folding it into the user turn")
            return False

    def render(self, messages: list[dict[str, str]], add_generation_prompt: bool) -> str:
        if self.fold_system:
            messages = fold_system_into_user(messages)
        return self.tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=add_generation_prompt)

    def prompt_and_answer(self, messages: list[dict[str, str]]) -> tuple[str, str]:
        """Split the rendered chat into the prompt (up to the generation prompt) and the answer."""
        prompt = self.render(messages[:-1], add_generation_prompt=True)
        full = self.render(messages, add_generation_prompt=False)
        if not full.startswith(prompt):
            raise RuntimeError("chat template renders the prompt differently with an answer; "
                               "cannot tell prompt from answer tokens")
        return prompt, full[len(prompt):]

    def prompt_ids(self, prompt: str) -> list[int]:
        ids = self.tokenizer(prompt, add_special_tokens=False)["input_ids"]
        bos = self.tokenizer.bos_token_id
        if bos is not None and (not ids or ids[0] != bos) and self._template_adds_no_bos():
            ids = [bos, *ids]
        return ids

    def _template_adds_no_bos(self) -> bool:
        bos_text = self.tokenizer.bos_token
        return bool(bos_text) and "bos_token" not in (self.tokenizer.chat_template or "")


def _encode(renderer: ChatRenderer, example: Example, text: str) -> Encoded:
    messages = build_messages(text, example.label, rationale=example.rationale,
                              crisis=example.crisis)
    prompt, answer = renderer.prompt_and_answer(messages)
    prompt_ids = renderer.prompt_ids(prompt)
    answer_ids = renderer.tokenizer(answer, add_special_tokens=False)["input_ids"]
    return Encoded(prompt_ids + answer_ids, [IGNORE_INDEX] * len(prompt_ids) + answer_ids,
                   len(prompt_ids), truncated=text != example.text)


def encode_example(renderer: ChatRenderer, example: Example, max_length: int) -> Encoded:
    """Token ids for one example; a long post is cut (longest fitting prefix, by binary search
    over characters) so that the instructions and the whole answer always fit."""
    whole = _encode(renderer, example, example.text)
    if len(whole.input_ids) <= max_length:
        return whole
    best, low, high = None, 1, len(example.text) - 1
    while low <= high:
        middle = (low + high) // 2
        candidate = _encode(renderer, example, example.text[:middle])
        if len(candidate.input_ids) <= max_length:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    if best is None:
        raise DatasetError(
            f"--max-length {max_length} is too small for the prompt format: even a one-character "
            f"post needs more tokens with this tokenizer; raise --max-length")
    return best


def encode_all(renderer: ChatRenderer, examples: list[Example], max_length: int) -> list[Encoded]:
    encoded = [encode_example(renderer, e, max_length) for e in examples]
    cut = sum(1 for enc in encoded if enc.truncated)
    if cut:
        log.info("%d of %d posts were cut to fit --max-length %d", cut, len(examples), max_length)
    return encoded
