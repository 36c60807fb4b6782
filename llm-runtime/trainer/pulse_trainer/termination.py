"""The Kubernetes termination message: compact JSON the operator copies into ModelAdapter status."""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

# The kubelet keeps at most 4096 bytes of a termination message; stay well under it.
MAX_BYTES = 4000


def _encode(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fit(payload: dict) -> bytes:
    """Encoded payload under MAX_BYTES; a long `message` is shortened, never the other fields."""
    data = _encode(payload)
    message = str(payload.get("message", ""))
    while len(data) > MAX_BYTES and message:
        message = message[:len(message) - (len(data) - MAX_BYTES) - 16] if len(message) > 64 else ""
        data = _encode({**payload, "message": message + "…"})
    return data


def write(path: str | None, payload: dict) -> None:
    """Best effort: outside Kubernetes /dev/termination-log usually cannot be written."""
    if not path:
        return
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(fit(payload))
    except OSError as err:
        log.warning("could not write the termination message to %s: %s", path, err)


def success(adapter_path: str, metrics: dict) -> dict:
    payload = {
        "phase": "Succeeded",
        "adapterPath": adapter_path,
        "metrics": {
            "accuracy": round(metrics["accuracy"], 4),
            "macroRecall": round(metrics["macro_recall"], 4),
            "evalLoss": round(metrics["eval_loss"], 4),
            "trainLoss": round(metrics["train_loss"], 4),
            "steps": metrics["steps"],
        },
        "device": metrics["device"],
        "quantization": metrics["quantization"],
    }
    if metrics.get("chat_template"):  # a file next to the adapter; the operator passes it to vLLM
        payload["chatTemplate"] = metrics["chat_template"]
    if metrics.get("gate") is not None:  # the escalation gate (gate.py): the operator promotes or not
        payload["gate"] = metrics["gate"]
    return payload


def failure(reason: str, message: str) -> dict:
    return {"phase": "Failed", "reason": reason, "message": message}
