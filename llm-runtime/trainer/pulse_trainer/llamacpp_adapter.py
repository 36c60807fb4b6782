"""The trained LoRA in llama.cpp's adapter format (GGUF), for the CPU engine (llama.cpp's server).

peft writes the adapter for vLLM (adapter_model.safetensors + adapter_config.json); llama.cpp loads a
GGUF file instead: metadata ``general.type = adapter``, ``adapter.type = lora``,
``adapter.lora.alpha``, the base model's ``general.architecture``, and per adapted weight two tensors
``<gguf weight name>.lora_a`` (r x in) and ``.lora_b`` (out x r), exactly peft's lora_A and lora_B.
llama.cpp scales by alpha / r as peft does (no rsLoRA).

Only projections whose weights llama.cpp stores as Hugging Face does can be exported unchanged:
attention v_proj and o_proj and the MLP's gate/up/down. llama.cpp's converter permutes the rows of
q_proj and k_proj (rotary layout), so a LoRA on those would need the same permutation of lora_B;
they are refused here rather than written wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

# Hugging Face module name (Llama family) -> llama.cpp tensor name, per layer.
_NAMES = {
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
EXPORTABLE = ("v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.(.+)$")


class ExportError(ValueError):
    """The adapter cannot be written in llama.cpp's format; the message says why."""


def check_exportable(target_modules) -> None:
    bad = [m for m in target_modules if m not in EXPORTABLE]
    if bad:
        raise ExportError(
            f"llama.cpp's adapter format is written for LoRA on {', '.join(EXPORTABLE)} only; "
            f"{', '.join(bad)} would need llama.cpp's rotary weight permutation (use e.g. v_proj,o_proj)")


def lora_tensors(model) -> dict[str, np.ndarray]:
    """{llama.cpp tensor name: float32 array} for every LoRA A/B pair of a peft model."""
    out: dict[str, np.ndarray] = {}
    for name, module in model.named_modules():
        if not hasattr(module, "lora_A") or "default" not in getattr(module, "lora_A", {}):
            continue
        match = _LAYER.search(name)
        if match is None:
            raise ExportError(f"LoRA module {name} is not inside a decoder layer")
        layer, inner = int(match.group(1)), match.group(2)
        if inner not in _NAMES:
            raise ExportError(f"LoRA module {name} ({inner}) has no llama.cpp name here")
        base = f"blk.{layer}.{_NAMES[inner]}.weight"
        out[base + ".lora_a"] = module.lora_A["default"].weight.detach().float().cpu().numpy()
        out[base + ".lora_b"] = module.lora_B["default"].weight.detach().float().cpu().numpy()
    if not out:
        raise ExportError("the model has no LoRA layers to export")
    return out


def gguf_architecture(gguf_file: Path) -> str:
    from gguf import GGUFReader

    field = GGUFReader(str(gguf_file)).get_field("general.architecture")
    if field is None:
        raise ExportError(f"{gguf_file} has no general.architecture")
    return field.contents()


def write_adapter(model, lora_alpha: float, architecture: str, path: Path) -> int:
    """Writes the GGUF adapter; returns the number of tensors written."""
    import gguf

    tensors = lora_tensors(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    writer = gguf.GGUFWriter(str(tmp), arch=architecture)
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(lora_alpha))
    for name in sorted(tensors):
        writer.add_tensor(name, np.ascontiguousarray(tensors[name], dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)  # a killed pod never leaves a half-written adapter under the final name
    return len(tensors)
