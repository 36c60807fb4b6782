"""QLoRA fine-tuning of a small causal LM on labelled posts (the ModelAdapter training Job).

    python -m pulse_trainer.train --base-model /models/gemma-2b --train-file posts.jsonl \\
        --output-dir /adapters/brand-x
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import shutil
import sys
import time
from pathlib import Path

from . import termination

log = logging.getLogger("pulse_trainer")

DEFAULT_TARGET_MODULES = "q_proj,k_proj,v_proj,o_proj"
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class UsageError(Exception):
    """A bad command-line argument (argparse's error, raised instead of exiting)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _typed(kind, check, what):
    def parse(raw: str):
        try:
            value = kind(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{raw!r} is not a valid {kind.__name__}") from None
        if not check(value):
            raise argparse.ArgumentTypeError(f"{raw!r} must be {what}")
        return value
    return parse


positive_int = _typed(int, lambda v: v > 0, "a positive integer")
positive_float = _typed(float, lambda v: v > 0 and math.isfinite(v), "a positive number")
fraction_open = _typed(float, lambda v: 0 < v < 1, "between 0 and 1 (exclusive)")
dropout_float = _typed(float, lambda v: 0 <= v < 1, "in [0, 1)")


def module_list(raw: str) -> list[str]:
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("needs at least one module name, e.g. q_proj,v_proj")
    return names


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m pulse_trainer.train",
        description="Fine-tune a LoRA adapter (4-bit QLoRA on CUDA, plain LoRA on CPU) for "
                    "Pulse's sentiment instruction format, evaluate it on a held-out split, and "
                    "write the adapter, metrics.json and a Kubernetes termination message.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    data = parser.add_argument_group("data")
    data.add_argument("--base-model", required=True,
                      help="directory (PVC) or hub id of the base causal LM, e.g. google/gemma-2b, or a "
                           "GGUF file (e.g. SmolLM2-135M-Instruct Q4_1, dequantized for training); with a "
                           "GGUF base the adapter is also written in llama.cpp's format (adapter.gguf)")
    data.add_argument("--train-file", required=True, type=Path,
                      help="JSONL of labelled posts: text, label (negative|neutral|positive), "
                           "optional rationale, crisis")
    held_out = data.add_mutually_exclusive_group()
    held_out.add_argument("--eval-file", type=Path, help="JSONL held out for evaluation")
    held_out.add_argument("--eval-fraction", type=fraction_open, default=None,
                          help="share of --train-file held out (stratified) when no --eval-file; "
                               "default 0.1")
    data.add_argument("--output-dir", required=True, type=Path,
                      help="where the adapter, metrics.json and checkpoints/ go")
    lora = parser.add_argument_group("LoRA")
    lora.add_argument("--lora-r", type=positive_int, default=16)
    lora.add_argument("--lora-alpha", type=positive_int, default=32)
    lora.add_argument("--lora-dropout", type=dropout_float, default=0.05)
    lora.add_argument("--target-modules", type=module_list, default=DEFAULT_TARGET_MODULES,
                      help="comma list of module names to adapt (Phi-2: q_proj,k_proj,v_proj,dense)")
    train = parser.add_argument_group("training")
    train.add_argument("--epochs", type=positive_int, default=2)
    train.add_argument("--learning-rate", type=positive_float, default=2e-4)
    train.add_argument("--max-length", type=positive_int, default=256,
                       help="tokens per example (prompt + answer); long posts are cut to fit")
    train.add_argument("--batch-size", type=positive_int, default=2, help="examples per micro-batch")
    train.add_argument("--grad-accum", type=positive_int, default=8,
                       help="micro-batches per optimizer step")
    train.add_argument("--warmup-ratio", type=_typed(float, lambda v: 0 <= v < 1, "in [0, 1)"),
                       default=0.03)
    train.add_argument("--seed", type=int, default=42)
    train.add_argument("--no-gradient-checkpointing", dest="gradient_checkpointing",
                       action="store_false", help="faster, but activations of every layer are kept")
    train.add_argument("--backend", choices=("auto", "peft", "unsloth"), default="auto",
                       help="auto: unsloth when installed (CUDA), else peft + bitsandbytes")
    ckpt = parser.add_argument_group("checkpoints")
    ckpt.add_argument("--resume", action="store_true",
                      help="continue from the last checkpoint in --output-dir (fresh if none)")
    ckpt.add_argument("--save-steps", type=positive_int, default=50,
                      help="checkpoint every N optimizer steps (and at the end)")
    ckpt.add_argument("--save-total-limit", type=positive_int, default=2)
    ckpt.add_argument("--max-steps", type=positive_int, default=None,
                      help="stop after this many optimizer steps (smoke runs); the schedule still "
                           "spans all epochs, so a later --resume continues it")
    parser.add_argument("--termination-message-path", default="/dev/termination-log",
                        help="where the JSON result for the operator goes ('' to skip)")
    return parser


def _termination_path(argv: list[str]) -> str:
    """The termination path even when the rest of the command line is bad."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--termination-message-path", default="/dev/termination-log")
    known, _ = pre.parse_known_args(argv)
    return known.termination_message_path


def _setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    torch.manual_seed(seed)


def _load_splits(args):
    from .data import load_jsonl, split_train_eval

    examples = load_jsonl(args.train_file)
    if args.eval_file:
        return examples, load_jsonl(args.eval_file)
    return split_train_eval(examples, args.eval_fraction or 0.1, args.seed)


def _scheduler(optimizer, total_steps: int, warmup_ratio: float):
    import torch

    warmup = int(total_steps * warmup_ratio)

    def factor(step: int) -> float:  # linear warm-up, then linear decay to zero
        if step < warmup:
            return (step + 1) / (warmup + 1)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _epoch_order(n: int, seed: int, epoch: int) -> list[int]:
    """Deterministic per epoch, so a resume replays exactly the batches not yet seen."""
    order = list(range(n))
    random.Random(seed * 1_000_003 + epoch).shuffle(order)
    return order


def _micro_batches(encoded, order: list[int], batch_size: int):
    return [[encoded[i] for i in order[s:s + batch_size]] for s in range(0, len(order), batch_size)]


def _prepare_output_dir(args) -> None:
    from .checkpoint import checkpoints_dir

    args.output_dir.mkdir(parents=True, exist_ok=True)
    if not args.resume and checkpoints_dir(args.output_dir).exists():
        log.info("not resuming: removing old checkpoints in %s", checkpoints_dir(args.output_dir))
        shutil.rmtree(checkpoints_dir(args.output_dir))


def _train_loop(args, model, optimizer, scheduler, encoded, state, runtime, pad_id) -> float:
    """Optimizer steps from state.global_step to the end; returns the mean training loss."""
    from .checkpoint import save_checkpoint
    from .evaluate import collate
    from .losses import answer_loss

    micro_per_epoch = math.ceil(len(encoded) / args.batch_size)
    steps_per_epoch = math.ceil(micro_per_epoch / args.grad_accum)
    total_steps = steps_per_epoch * args.epochs
    stop_at = min(total_steps, args.max_steps or total_steps)
    model.train()
    started, first_step = time.monotonic(), state.global_step
    while state.global_step < stop_at:
        epoch, step_in_epoch = divmod(state.global_step, steps_per_epoch)
        batches = _micro_batches(encoded, _epoch_order(len(encoded), args.seed, epoch), args.batch_size)
        group = batches[step_in_epoch * args.grad_accum:(step_in_epoch + 1) * args.grad_accum]
        step_loss = 0.0
        for micro in group:
            loss = answer_loss(model, collate(micro, pad_id, runtime.device)) / len(group)
            loss.backward()
            step_loss += float(loss.detach())
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        state.global_step += 1
        state.loss_sum += step_loss
        _print_progress(state.global_step, total_steps, epoch, args.epochs, step_loss,
                        scheduler.get_last_lr()[0], started, first_step)
        if state.global_step % args.save_steps == 0 or state.global_step == stop_at:
            save_checkpoint(args.output_dir, model, optimizer, scheduler, state,
                            args.save_total_limit)
    return state.loss_sum / max(state.global_step, 1)


def _print_progress(step, total, epoch, epochs, loss, lr, started, first_step) -> None:
    per_step = (time.monotonic() - started) / max(step - first_step, 1)
    print(f"step {step}/{total} | epoch {epoch + 1}/{epochs} | loss {loss:.4f} | lr {lr:.2e} | "
          f"{per_step:.2f} s/step | eta {per_step * (total - step):.0f}s", flush=True)


def run(args) -> dict:
    """The whole job; returns the metrics written to metrics.json."""
    from .checkpoint import TrainState, latest_checkpoint, load_checkpoint
    from .encoding import ChatRenderer, encode_all
    from .evaluate import evaluate
    from .llamacpp_adapter import ExportError, check_exportable
    from .modeling import ModelSetupError, build_model, build_optimizer, choose_runtime, is_gguf, load_tokenizer
    from .prompt_format import FORMAT_VERSION

    began = time.monotonic()
    if is_gguf(args.base_model):
        try:  # before hours of training, not after
            check_exportable(args.target_modules)
        except ExportError as err:
            raise ModelSetupError(str(err)) from err
    train_examples, eval_examples = _load_splits(args)
    _prepare_output_dir(args)
    _seed_everything(args.seed)
    runtime = choose_runtime(args.backend)
    log.info("runtime: %s (%s)", runtime.describe(),
             "4-bit QLoRA" if runtime.quantization == "nf4" else "plain LoRA, no quantization")
    tokenizer = load_tokenizer(args.base_model)
    renderer = ChatRenderer(tokenizer)
    train_encoded = encode_all(renderer, train_examples, args.max_length)
    eval_encoded = encode_all(renderer, eval_examples, args.max_length)
    log.info("examples: %d train, %d eval", len(train_encoded), len(eval_encoded))

    model = build_model(args, runtime)
    optimizer = build_optimizer(model, runtime, args.learning_rate)
    steps_per_epoch = math.ceil(math.ceil(len(train_encoded) / args.batch_size) / args.grad_accum)
    scheduler = _scheduler(optimizer, steps_per_epoch * args.epochs, args.warmup_ratio)
    layout = {"train_examples": len(train_encoded), "batch_size": args.batch_size,
              "grad_accum": args.grad_accum, "epochs": args.epochs, "seed": args.seed}
    state = TrainState(global_step=0, loss_sum=0.0, layout=layout)
    last = latest_checkpoint(args.output_dir) if args.resume else None
    if args.resume and last is None:
        log.info("--resume: no checkpoint in %s, starting from step 0", args.output_dir)
    if last is not None:
        state = load_checkpoint(last, model, optimizer, scheduler, layout)

    train_loss = _train_loop(args, model, optimizer, scheduler, train_encoded, state, runtime,
                             tokenizer.pad_token_id)
    metrics = evaluate(model, renderer, eval_examples, eval_encoded, args.max_length,
                       args.batch_size, runtime.device)
    model.save_pretrained(args.output_dir)
    llamacpp = _write_llamacpp_adapter(args, model) if is_gguf(args.base_model) else None
    # vLLM must render prompts with the template the adapter was trained on (--chat-template <this file>): Pulse's
    # fallback, or the base model's own, pinned here so a later change of the model's repository cannot drift.
    template = _chat_template(tokenizer)
    if template:
        (args.output_dir / CHAT_TEMPLATE_FILE).write_text(template)
    metrics["chat_template"] = CHAT_TEMPLATE_FILE if template else None
    metrics.update({
        "train_loss": train_loss, "steps": state.global_step, "epochs": args.epochs,
        "train_examples": len(train_encoded), "device": runtime.device,
        "quantization": runtime.quantization, "backend": runtime.backend,
        "optimizer": runtime.optimizer, "base_model": args.base_model,
        "prompt_format": FORMAT_VERSION, "duration_s": round(time.monotonic() - began, 1),
    })
    if llamacpp:
        metrics["llamacpp_adapter"] = llamacpp
    (args.output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log.info("eval: accuracy %.4f, macro-recall %.4f, eval loss %.4f; adapter in %s",
             metrics["accuracy"], metrics["macro_recall"], metrics["eval_loss"], args.output_dir)
    log.info("escalation gate: %s", json.dumps(metrics["gate"]))
    return metrics


CHAT_TEMPLATE_FILE = "chat_template.jinja"


def _chat_template(tokenizer) -> str | None:
    """The template prompts were rendered with; a tokenizer with named templates renders with "default"."""
    template = getattr(tokenizer, "chat_template", None)
    if isinstance(template, dict):
        template = template.get("default")
    return template if isinstance(template, str) and template.strip() else None


def _write_llamacpp_adapter(args, model) -> str:
    """adapter.gguf beside peft's files: what llama.cpp's server loads (--lora / lora_path)."""
    from .llamacpp_adapter import gguf_architecture, write_adapter

    path = args.output_dir / "adapter.gguf"
    count = write_adapter(model, args.lora_alpha, gguf_architecture(Path(args.base_model)), path)
    log.info("llama.cpp adapter: %s (%d tensors, alpha %d, r %d)", path, count, args.lora_alpha, args.lora_r)
    return str(path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _setup_logging()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as err:
        parser.print_usage(sys.stderr)
        print(f"error: {err}", file=sys.stderr)
        termination.write(_termination_path(argv), termination.failure("InvalidArgument", str(err)))
        return EXIT_BAD_INPUT
    return _run_reporting(args)


def _run_reporting(args) -> int:
    """Run, and turn every outcome into an exit code and a termination message."""
    from .data import DatasetError
    from .modeling import ModelSetupError

    try:
        metrics = run(args)
    except (DatasetError, ModelSetupError) as err:
        log.error("%s", err)
        reason = "InvalidInput" if isinstance(err, DatasetError) else "InvalidModel"
        termination.write(args.termination_message_path, termination.failure(reason, str(err)))
        return EXIT_BAD_INPUT
    except Exception as err:  # anything else: report it to the operator, keep the traceback in logs
        log.exception("training failed")
        termination.write(args.termination_message_path,
                          termination.failure("TrainingFailed", f"{type(err).__name__}: {err}"))
        return EXIT_FAILED
    termination.write(args.termination_message_path,
                      termination.success(str(args.output_dir), metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
