"""Fixtures: a tiny, randomly initialised Llama-style causal LM and a tokenizer trained here on the
fixture text, saved to a directory the trainer loads like any base model. Nothing is downloaded."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a test that tried the hub would fail, not hang
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

POSITIVE = ["love", "great", "awesome", "happy", "brilliant", "fantastic", "thanks", "best"]
NEGATIVE = ["hate", "awful", "broken", "angry", "terrible", "worst", "refund", "scam"]
NEUTRAL = ["store", "opens", "tuesday", "update", "version", "released", "today", "schedule"]
WORDS = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": NEUTRAL}


def make_rows(count: int, seed: int = 0) -> list[dict]:
    """Posts whose label is carried by their words, so a tiny model can pick up a signal."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        label = ("negative", "neutral", "positive")[i % 3]
        words = rng.sample(WORDS[label], 4) + rng.sample(["the", "app", "brand", "my"], 2)
        rng.shuffle(words)
        rows.append({"text": " ".join(words), "label": label})
    return rows


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _train_tokenizer(corpus: list[str]):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<pad>", "<unk>", "<s>", "</s>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                   pad_token="<pad>", unk_token="<unk>")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A saved base model directory: LlamaForCausalLM, hidden size 32, 2 layers, random weights."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from pulse_trainer.prompt_format import build_answer, build_messages

    corpus = [m["content"] for r in make_rows(60) for m in build_messages(r["text"], r["label"])]
    corpus += [build_answer(label) for label in WORDS] + ["<|system|>", "<|user|>", "<|assistant|>"]
    tokenizer = _train_tokenizer(corpus)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=1024, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
                         tie_word_embeddings=False)
    model = LlamaForCausalLM(config)
    target = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    return target


@pytest.fixture
def data_files(tmp_path) -> dict[str, Path]:
    return {"train": write_jsonl(tmp_path / "train.jsonl", make_rows(24, seed=1)),
            "eval": write_jsonl(tmp_path / "eval.jsonl", make_rows(6, seed=2))}


@pytest.fixture
def base_args(tiny_model_dir, data_files, tmp_path) -> list[str]:
    """A fast CPU run: 24 posts, micro-batches of 4, 2 per step -> 3 steps per epoch."""
    return ["--base-model", str(tiny_model_dir), "--train-file", str(data_files["train"]),
            "--eval-file", str(data_files["eval"]), "--output-dir", str(tmp_path / "out"),
            "--lora-r", "4", "--lora-alpha", "8", "--lora-dropout", "0.1",
            "--target-modules", "q_proj,v_proj", "--epochs", "2", "--learning-rate", "5e-3",
            "--max-length", "512", "--batch-size", "4", "--grad-accum", "2", "--seed", "7",
            "--save-steps", "2", "--termination-message-path", str(tmp_path / "termination-log")]
