"""Pulse QLoRA trainer: fine-tunes a LoRA adapter for Pulse's sentiment instruction format."""

__version__ = "0.1.0"
