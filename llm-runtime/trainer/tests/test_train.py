"""End-to-end runs of the CLI entry point on the tiny model (CPU, plain LoRA)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from pulse_trainer.train import main

ADAPTER_FILES = {"adapter_model.safetensors", "adapter_config.json", "metrics.json",
                 "chat_template.jinja"}  # the tiny tokenizer has no template: Pulse's fallback


def arg(args, name):
    return Path(args[args.index(name) + 1])


def replace(args, name, value):
    args = list(args)
    args[args.index(name) + 1] = value
    return args


def test_trains_evaluates_and_writes_adapter_metrics_and_termination_message(base_args, capsys):
    assert main(base_args) == 0
    out = arg(base_args, "--output-dir")
    assert ADAPTER_FILES <= {p.name for p in out.iterdir()}

    stdout = capsys.readouterr().out
    assert "step 1/6 | epoch 1/2 | loss" in stdout and "step 6/6 | epoch 2/2" in stdout
    assert "device=cpu quantization=none" in stdout and "plain LoRA" in stdout

    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] == 6 and metrics["eval_examples"] == 6
    assert metrics["device"] == "cpu" and metrics["quantization"] == "none"
    for key in ("accuracy", "macro_recall"):
        assert 0.0 <= metrics[key] <= 1.0
    assert metrics["eval_loss"] > 0 and metrics["train_loss"] > 0

    raw = arg(base_args, "--termination-message-path").read_bytes()
    assert len(raw) < 4096
    message = json.loads(raw)
    assert message["phase"] == "Succeeded" and message["adapterPath"] == str(out)
    assert message["metrics"]["steps"] == 6
    assert message["metrics"]["accuracy"] == round(metrics["accuracy"], 4)
    assert message["chatTemplate"] == "chat_template.jinja"  # Pulse's fallback, which vLLM must be given
    # The fixture's posts carry no light-scorer verdict: the escalation gate says it could not run.
    assert message["gate"] == metrics["gate"] == {"passed": None, "reason": "NoLightScores"}

    # LoRA B starts at zero: non-zero B matrices prove the optimizer really stepped.
    weights = load_file(out / "adapter_model.safetensors")
    lora_b = [t for name, t in weights.items() if "lora_B" in name]
    assert lora_b and all(t.abs().sum() > 0 for t in lora_b)


def test_the_base_models_own_chat_template_is_written_next_to_the_adapter(base_args, tiny_model_dir, tmp_path):
    import shutil

    from transformers import AutoTokenizer

    from pulse_trainer.prompt_format import FALLBACK_CHAT_TEMPLATE

    base = tmp_path / "templated-base"
    shutil.copytree(tiny_model_dir, base)
    own = "{# the base model's own template #}" + FALLBACK_CHAT_TEMPLATE
    tokenizer = AutoTokenizer.from_pretrained(base)
    tokenizer.chat_template = own
    tokenizer.save_pretrained(base)

    assert main(replace(base_args, "--base-model", str(base))) == 0
    out = arg(base_args, "--output-dir")
    assert (out / "chat_template.jinja").read_text() == own
    message = json.loads(arg(base_args, "--termination-message-path").read_bytes())
    assert message["chatTemplate"] == "chat_template.jinja"
    assert json.loads((out / "metrics.json").read_text())["chat_template"] == "chat_template.jinja"


def test_saved_adapter_reloads_and_reproduces_the_eval(base_args):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pulse_trainer.data import load_jsonl
    from pulse_trainer.encoding import ChatRenderer, encode_all
    from pulse_trainer.evaluate import classification_metrics, eval_loss, predict_labels

    assert main(base_args) == 0
    out = arg(base_args, "--output-dir")
    renderer = ChatRenderer(AutoTokenizer.from_pretrained(arg(base_args, "--base-model")))
    examples = load_jsonl(arg(base_args, "--eval-file"))
    encoded = encode_all(renderer, examples, 512)
    base = AutoModelForCausalLM.from_pretrained(arg(base_args, "--base-model")).eval()
    untrained_loss = eval_loss(base, encoded, renderer.tokenizer.pad_token_id, 4, "cpu")
    model = PeftModel.from_pretrained(base, out).eval()
    metrics = json.loads((out / "metrics.json").read_text())
    # the reloaded adapter gives the eval loss the run measured, lower than the base model's
    assert eval_loss(model, encoded, renderer.tokenizer.pad_token_id, 4, "cpu") == \
        pytest.approx(metrics["eval_loss"], rel=1e-4)
    assert metrics["eval_loss"] < untrained_loss
    predicted = predict_labels(model, renderer, examples, 512, "cpu")
    assert classification_metrics([e.label for e in examples], predicted)["accuracy"] == \
        pytest.approx(metrics["accuracy"])


def test_resume_after_interruption_matches_an_uninterrupted_run(base_args, tmp_path):
    straight = replace(base_args, "--output-dir", str(tmp_path / "straight"))
    assert main(straight) == 0

    interrupted = replace(base_args, "--output-dir", str(tmp_path / "resumed"))
    assert main(interrupted + ["--max-steps", "3"]) == 0  # as if the pod died after step 3
    checkpoints = sorted(p.name for p in (tmp_path / "resumed" / "checkpoints").iterdir())
    assert checkpoints == ["checkpoint-000002", "checkpoint-000003"]
    assert main(interrupted + ["--resume"]) == 0

    resumed = json.loads((tmp_path / "resumed" / "metrics.json").read_text())
    assert resumed["steps"] == 6
    expected = load_file(tmp_path / "straight" / "adapter_model.safetensors")
    actual = load_file(tmp_path / "resumed" / "adapter_model.safetensors")
    assert expected.keys() == actual.keys()
    for name in expected:
        torch.testing.assert_close(actual[name], expected[name], rtol=1e-4, atol=1e-6)


def test_resume_refuses_a_checkpoint_from_other_batch_settings(base_args):
    assert main(base_args + ["--max-steps", "2"]) == 0
    changed = replace(base_args, "--batch-size", "2")
    assert main(changed + ["--resume"]) == 1
    message = json.loads(arg(base_args, "--termination-message-path").read_text())
    assert message["phase"] == "Failed" and "same data and batch settings" in message["message"]


def test_eval_fraction_holds_out_part_of_the_train_file(base_args):
    args = base_args[:base_args.index("--eval-file")] + base_args[base_args.index("--eval-file") + 2:]
    assert main(args + ["--eval-fraction", "0.25", "--epochs", "1"]) == 0
    metrics = json.loads((arg(args, "--output-dir") / "metrics.json").read_text())
    assert (metrics["train_examples"], metrics["eval_examples"]) == (18, 6)


def test_help_lists_every_argument_the_operator_sets():
    run = subprocess.run([sys.executable, "-m", "pulse_trainer.train", "--help"],
                         capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=120)
    assert run.returncode == 0
    for flag in ("--base-model", "--train-file", "--eval-file", "--eval-fraction", "--output-dir",
                 "--lora-r", "--lora-alpha", "--lora-dropout", "--target-modules", "--epochs",
                 "--learning-rate", "--max-length", "--batch-size", "--grad-accum", "--seed",
                 "--resume", "--termination-message-path"):
        assert flag in run.stdout
