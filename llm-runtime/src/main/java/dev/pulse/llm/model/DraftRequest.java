package dev.pulse.llm.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A reply to draft: to one post, or to an alert. Exactly one of the two. */
public record DraftRequest(
    @NotBlank @Pattern(regexp = PipelineName.PATTERN, message = PipelineName.MESSAGE) String pipeline,
    @Valid PostRef post,
    @Valid AlertRef alert) {

  public record PostRef(@NotBlank @Size(max = 256) String id, @NotBlank @Size(max = 20_000) String text) {}

  public record AlertRef(
      @NotBlank @Size(max = 256) String id,
      @Size(max = 2_000) String summary,
      @NotEmpty @Size(max = 50) List<@NotNull @Valid EvidencePost> evidence) {}

  @AssertTrue(message = "give exactly one of 'post' and 'alert'")
  public boolean isExactlyOneSubject() {
    return (post == null) != (alert == null);
  }
}
