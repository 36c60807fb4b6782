package dev.pulse.llm.api;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.pulse.llm.assist.ResponseDrafter.DraftUnavailableException;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into a JSON {@link ApiError}; a stack trace never goes on the wire. */
@RestControllerAdvice
public class ApiErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandler.class);

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
    List<String> details =
        e.getBindingResult().getAllErrors().stream()
            .map(
                err ->
                    err instanceof org.springframework.validation.FieldError f
                        ? f.getField() + ": " + f.getDefaultMessage()
                        : err.getDefaultMessage())
            .sorted()
            .toList();
    return badRequest(new ApiError("invalid_request", "the request is not valid: " + String.join("; ", details), details));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    return badRequest(ApiError.of("invalid_json", unreadableMessage(e.getCause())));
  }

  /** Says where and what, without echoing Jackson's internals (class names, stack). */
  static String unreadableMessage(Throwable cause) {
    if (cause instanceof ValueInstantiationException v && v.getCause() != null) {
      return at(v) + v.getCause().getMessage();
    }
    if (cause instanceof InvalidFormatException f) {
      return at(f) + "value '" + f.getValue() + "' is not valid here";
    }
    if (cause instanceof MismatchedInputException m) {
      return at(m) + "wrong type of value";
    }
    return "the body is not valid JSON";
  }

  private static String at(com.fasterxml.jackson.databind.JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
    return path.isEmpty() ? "" : path + ": ";
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .body(ApiError.of("unsupported_media_type", "send Content-Type: application/json"));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
    return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
        .body(ApiError.of("method_not_allowed", "use " + String.join(", ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods())));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ApiError> notFound(NoResourceFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(ApiError.of("not_found", "no endpoint " + e.getResourcePath()));
  }

  @ExceptionHandler(DraftUnavailableException.class)
  ResponseEntity<ApiError> draftUnavailable(DraftUnavailableException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(new ApiError("llm_unavailable", e.getMessage(), List.of("reason: " + e.reason().name())));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ApiError> unexpected(Exception e) {
    LOG.error("unexpected error", e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(ApiError.of("internal_error", "the gateway failed; see its log"));
  }

  private static ResponseEntity<ApiError> badRequest(ApiError error) {
    return ResponseEntity.badRequest().body(error);
  }
}
