package dev.pulse.llm.prompt;

/**
 * One chat exchange to send: our instructions in the system message, third-party content only in the
 * user message, fenced (see {@link Fence}).
 *
 * @param model the served model to ask: the LoRA adapter for classification, the assist model for
 *     explanations and drafts
 */
public record Prompt(String model, String system, String user) {}
