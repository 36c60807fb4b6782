package dev.pulse.llm.api;

import dev.pulse.llm.model.PipelineName;
import dev.pulse.llm.model.PostIn;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A batch of low-confidence posts from one pipeline. */
public record ClassifyRequest(
    @NotBlank @Pattern(regexp = PipelineName.PATTERN, message = PipelineName.MESSAGE) String pipeline,
    @NotEmpty @Size(max = ClassifyRequest.MAX_POSTS) List<@NotNull @Valid PostIn> posts) {
  public static final int MAX_POSTS = 256;
}
