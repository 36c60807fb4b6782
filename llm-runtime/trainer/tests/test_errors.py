"""Bad input and bad arguments end with exit code 2, a clear log line and a Failed message."""

import json
from pathlib import Path

import pytest

from pulse_trainer.train import main


def termination(args):
    return json.loads(Path(args[args.index("--termination-message-path") + 1]).read_text())


def with_train_file(args, path):
    args = list(args)
    args[args.index("--train-file") + 1] = str(path)
    return args


@pytest.mark.parametrize("content, expected", [
    ("", "no examples (the file is empty)"),
    ('{"text": "great", "label": "happy"}\n', "unknown label 'happy'"),
    ('{"label": "positive"}\n', "missing field 'text'"),
])
def test_bad_training_data(base_args, tmp_path, capsys, content, expected):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content)
    args = with_train_file(base_args, bad)
    assert main(args) == 2
    assert expected in capsys.readouterr().out
    message = termination(args)
    assert message == {"phase": "Failed", "reason": "InvalidInput", "message": message["message"]}
    assert expected in message["message"] and str(bad) in message["message"]
    assert not (tmp_path / "out" / "metrics.json").exists()


@pytest.mark.parametrize("flag, value, expected", [
    ("--lora-r", "0", "'0' must be a positive integer"),
    ("--learning-rate", "fast", "'fast' is not a valid float"),
    ("--lora-dropout", "1.5", "must be in [0, 1)"),
    ("--target-modules", " , ", "needs at least one module name"),
])
def test_bad_arguments(base_args, capsys, flag, value, expected):
    args = list(base_args)
    args[args.index(flag) + 1] = value
    assert main(args) == 2
    assert expected in capsys.readouterr().err
    message = termination(args)
    assert message["reason"] == "InvalidArgument" and flag in message["message"]


def test_missing_required_argument_and_conflicting_eval_options(base_args, tmp_path):
    term = str(tmp_path / "t")
    assert main(["--train-file", "x.jsonl", "--termination-message-path", term]) == 2
    assert "--base-model" in json.loads(Path(term).read_text())["message"]
    assert main(base_args + ["--eval-fraction", "0.2"]) == 2
    assert "not allowed with argument" in termination(base_args)["message"]


def test_target_modules_that_do_not_exist_list_the_real_names(base_args):
    args = list(base_args)
    args[args.index("--target-modules") + 1] = "query_key_value"
    assert main(args) == 2
    message = termination(args)
    assert message["reason"] == "InvalidModel"
    assert "query_key_value" in message["message"] and "q_proj" in message["message"]


def test_missing_base_model(base_args, tmp_path):
    args = list(base_args)
    args[args.index("--base-model") + 1] = str(tmp_path / "no-such-model")
    assert main(args) == 2
    assert termination(args)["reason"] == "InvalidModel"


def test_termination_message_is_cut_below_the_kubelet_limit():
    from pulse_trainer.termination import failure, fit

    data = fit(failure("TrainingFailed", "x" * 20_000))
    assert len(data) < 4096 and json.loads(data)["reason"] == "TrainingFailed"
