"""Loading the base model (4-bit on CUDA, full precision on CPU) and wrapping it with LoRA."""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path

import torch

log = logging.getLogger(__name__)


class ModelSetupError(ValueError):
    """The base model or the LoRA settings cannot be used; the message says why."""


@dataclass(frozen=True)
class Runtime:
    device: str        # "cuda" or "cpu"
    quantization: str  # "nf4" (4-bit QLoRA) or "none" (plain LoRA)
    backend: str       # "unsloth" or "peft"
    optimizer: str     # "paged_adamw_8bit" or "adamw"

    def describe(self) -> str:
        return (f"device={self.device} quantization={self.quantization} backend={self.backend} "
                f"optimizer={self.optimizer}")


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def choose_runtime(backend: str = "auto") -> Runtime:
    """QLoRA (NF4 + paged 8-bit AdamW) when CUDA and bitsandbytes are there, plain LoRA otherwise;
    unsloth on top when installed (it needs CUDA) unless the backend is forced to peft."""
    cuda = torch.cuda.is_available()
    bnb = cuda and _installed("bitsandbytes")
    if cuda and not bnb:
        log.warning("CUDA found but bitsandbytes is not installed: training without 4-bit "
                    "quantization (install requirements-gpu.txt)")
    if backend == "unsloth" and not (cuda and _installed("unsloth")):
        raise ModelSetupError("--backend unsloth needs CUDA and the unsloth package")
    use_unsloth = backend != "peft" and cuda and bnb and _installed("unsloth")
    return Runtime(device="cuda" if cuda else "cpu",
                   quantization="nf4" if bnb else "none",
                   backend="unsloth" if use_unsloth else "peft",
                   optimizer="paged_adamw_8bit" if bnb else "adamw")


def is_gguf(base_model: str) -> bool:
    """A single GGUF file (llama.cpp's format, e.g. SmolLM2-135M-Instruct Q4_1) rather than a directory."""
    return str(base_model).lower().endswith(".gguf")


def _source(base_model: str) -> tuple[str, dict]:
    """What from_pretrained takes: a GGUF file is its directory + gguf_file (transformers dequantizes
    its weights to full precision and builds the tokenizer, chat template included, from its metadata)."""
    if is_gguf(base_model):
        path = Path(base_model)
        if not path.is_file():
            raise ModelSetupError(f"--base-model {base_model}: no such GGUF file")
        return str(path.parent), {"gguf_file": path.name}
    return base_model, {}


def load_tokenizer(base_model: str):
    from transformers import AutoTokenizer

    source, extra = _source(base_model)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, **extra)
    except (OSError, ValueError) as err:
        raise ModelSetupError(f"cannot load the tokenizer of --base-model {base_model}: {err}") from err
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token  # padding is masked out; any id will do
    return tokenizer


def _load_base(base_model: str, runtime: Runtime):
    from transformers import AutoModelForCausalLM

    source, kwargs = _source(base_model)
    if runtime.quantization == "nf4":
        from transformers import BitsAndBytesConfig

        compute = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=compute)
        kwargs["dtype"] = compute
        kwargs["device_map"] = {"": 0}
    else:
        kwargs["dtype"] = torch.float32  # CPU: fp32 is the safe, supported training dtype
    try:
        return AutoModelForCausalLM.from_pretrained(source, **kwargs)
    except (OSError, ValueError) as err:
        raise ModelSetupError(f"cannot load --base-model {base_model}: {err}") from err


def _linear_module_names(model) -> list[str]:
    names = {name.rsplit(".", 1)[-1] for name, module in model.named_modules()
             if isinstance(module, torch.nn.Linear) or "Linear" in type(module).__name__}
    return sorted(names)


def _lora_config(args):
    from peft import LoraConfig

    return LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
                      target_modules=args.target_modules, bias="none", task_type="CAUSAL_LM")


def _enable_checkpointing(model) -> None:
    no_reentrant = {"use_reentrant": False}
    if hasattr(model, "activation_checkpointing_enable"):  # transformers 5 name; the old one warns
        model.activation_checkpointing_enable(activation_checkpointing_kwargs=no_reentrant)
    else:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=no_reentrant)


def _build_with_peft(args, runtime: Runtime):
    from peft import get_peft_model, prepare_model_for_kbit_training

    model = _load_base(args.base_model, runtime)
    model.config.use_cache = False  # the KV cache is useless in training and breaks checkpointing
    if runtime.quantization == "nf4":
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=args.gradient_checkpointing,
            gradient_checkpointing_kwargs={"use_reentrant": False})
    elif args.gradient_checkpointing:
        _enable_checkpointing(model)
        model.enable_input_require_grads()
    try:
        return get_peft_model(model, _lora_config(args))
    except ValueError as err:
        raise ModelSetupError(
            f"--target-modules {','.join(args.target_modules)} do not fit this model ({err}); "
            f"its linear layers are named: {', '.join(_linear_module_names(model))}") from err


def _build_with_unsloth(args):
    from unsloth import FastLanguageModel  # optional, GPU only

    model, _ = FastLanguageModel.from_pretrained(
        model_name=args.base_model, max_seq_length=args.max_length, load_in_4bit=True)
    return FastLanguageModel.get_peft_model(
        model, r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
        target_modules=args.target_modules, bias="none", random_state=args.seed,
        use_gradient_checkpointing="unsloth" if args.gradient_checkpointing else False)


def build_model(args, runtime: Runtime):
    """The trainable LoRA model on its device, with its trainable-parameter count logged."""
    model = _build_with_unsloth(args) if runtime.backend == "unsloth" else _build_with_peft(args, runtime)
    if runtime.device == "cpu":
        model.to("cpu")
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    log.info("LoRA: %d trainable parameters of %d (%.3f%%)", trainable, total,
             100.0 * trainable / max(total, 1))
    return model


def build_optimizer(model, runtime: Runtime, learning_rate: float) -> torch.optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    if runtime.optimizer == "paged_adamw_8bit":
        import bitsandbytes as bnb

        # 8-bit states quarter the optimizer memory; paging moves them to host RAM on a spike.
        return bnb.optim.PagedAdamW8bit(params, lr=learning_rate, weight_decay=0.0)
    return torch.optim.AdamW(params, lr=learning_rate, weight_decay=0.0)
