"""How the messages become text and tokens: the fallback template, Gemma-style templates, cutting."""

import pytest

from pulse_trainer import prompt_format as pf
from pulse_trainer.data import DatasetError, Example
from pulse_trainer.encoding import IGNORE_INDEX, ChatRenderer, encode_example

NO_SYSTEM_TEMPLATE = (  # like Gemma's: a system message is an error
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}"
    "{{ raise_exception('System role not supported') }}{% endif %}"
    "{{ '<start_of_turn>' + m['role'] + '\n' + m['content'] + '<end_of_turn>\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>assistant\n' }}{% endif %}")


@pytest.fixture
def tokenizer(tiny_model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model_dir)


def test_fallback_template_renders_exactly_this(tokenizer):
    renderer = ChatRenderer(tokenizer)
    prompt, answer = renderer.prompt_and_answer(pf.build_messages("Love it", "positive"))
    assert prompt == ("<s><|system|>\n" + pf.SYSTEM_PROMPT + "\n<|user|>\n"
                      "Classify the sentiment of this post.\n\n<<<POST\nLove it\nPOST>>>\n"
                      "<|assistant|>\n")
    assert answer == pf.build_answer("positive") + "\n</s>"


def test_prompt_tokens_are_masked_and_the_answer_ends_with_eos(tokenizer):
    enc = encode_example(ChatRenderer(tokenizer), Example("Love it", "positive"), 512)
    assert enc.labels[:enc.prompt_len] == [IGNORE_INDEX] * enc.prompt_len
    assert enc.labels[enc.prompt_len:] == enc.input_ids[enc.prompt_len:]
    assert enc.input_ids[0] == tokenizer.bos_token_id and enc.input_ids[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(enc.input_ids[enc.prompt_len:], skip_special_tokens=True).startswith(
        '{"label": "positive"')


def test_templates_without_a_system_role_get_it_folded_into_the_user_turn(tokenizer):
    tokenizer.chat_template = NO_SYSTEM_TEMPLATE
    renderer = ChatRenderer(tokenizer)
    prompt, _ = renderer.prompt_and_answer(pf.build_messages("meh", "neutral"))
    assert prompt.startswith("<s><start_of_turn>user\n" + pf.SYSTEM_PROMPT + "\n\nClassify")
    assert not renderer.used_fallback


def test_long_posts_are_cut_so_the_whole_answer_fits(tokenizer):
    renderer = ChatRenderer(tokenizer)
    short = encode_example(renderer, Example("love it", "positive"), 512)
    enc = encode_example(renderer, Example("love it " * 300, "positive"), short.prompt_len + 60)
    assert enc.truncated and len(enc.input_ids) <= short.prompt_len + 60
    assert tokenizer.decode(enc.input_ids[enc.prompt_len:]).startswith('{"label": "positive"')
    with pytest.raises(DatasetError, match="--max-length 50 is too small"):
        encode_example(renderer, Example("love it", "positive"), 50)
