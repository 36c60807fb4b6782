"""Step checkpoints under <output-dir>/checkpoints/checkpoint-NNNNNN, so a restarted Job resumes."""

from __future__ import annotations

import json
import logging
import random
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

log = logging.getLogger(__name__)

PREFIX = "checkpoint-"


@dataclass
class TrainState:
    global_step: int
    loss_sum: float     # sum of the per-step training losses so far (for the mean train loss)
    layout: dict        # what fixes the step <-> batch mapping; a resume must see the same


def checkpoints_dir(output_dir: Path) -> Path:
    return output_dir / "checkpoints"


def latest_checkpoint(output_dir: Path) -> Path | None:
    """The complete checkpoint with the highest step (a half-written one has no state.json)."""
    found = [p for p in checkpoints_dir(output_dir).glob(PREFIX + "*")
             if (p / "state.json").is_file() and p.name[len(PREFIX):].isdigit()]
    return max(found, key=lambda p: int(p.name[len(PREFIX):]), default=None)


def save_checkpoint(output_dir: Path, model, optimizer, scheduler, state: TrainState,
                    keep: int) -> Path:
    target = checkpoints_dir(output_dir) / f"{PREFIX}{state.global_step:06d}"
    partial = target.with_name(target.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    model.save_pretrained(partial)
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state(), "python_rng": random.getstate(),
                "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None},
               partial / "training_state.pt")
    # state.json last, then an atomic rename: a checkpoint is only ever seen complete.
    (partial / "state.json").write_text(json.dumps(asdict(state), indent=2))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    _prune(output_dir, keep)
    return target


def _prune(output_dir: Path, keep: int) -> None:
    complete = sorted(p for p in checkpoints_dir(output_dir).glob(PREFIX + "*")
                      if p.name[len(PREFIX):].isdigit())
    for old in complete[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def load_checkpoint(path: Path, model, optimizer, scheduler, layout: dict) -> TrainState:
    """Restore adapter weights, optimizer, scheduler and RNG; refuse a checkpoint whose batch
    layout differs (other data or batch settings would silently replay the wrong batches)."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    state = TrainState(**json.loads((path / "state.json").read_text()))
    if state.layout != layout:
        raise ValueError(f"checkpoint {path} was written with {state.layout}, this run has "
                         f"{layout}: use the same data and batch settings, or drop --resume")
    weights = load_file(str(path / "adapter_model.safetensors"))
    set_peft_model_state_dict(model, weights)
    saved = torch.load(path / "training_state.pt", weights_only=False)
    optimizer.load_state_dict(saved["optimizer"])
    scheduler.load_state_dict(saved["scheduler"])
    torch.set_rng_state(saved["torch_rng"])
    random.setstate(saved["python_rng"])
    if saved.get("cuda_rng") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(saved["cuda_rng"])
    log.info("resumed from %s at step %d", path, state.global_step)
    return state
