package dev.pulse.llm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Every error the gateway answers: a code, a message a person can act on, and details. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(String error, String message, List<String> details) {
  public static ApiError of(String error, String message) {
    return new ApiError(error, message, List.of());
  }
}
