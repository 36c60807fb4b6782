package dev.pulse.testsupport;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** The errors the stand-in answers, worded as Qdrant words them. */
final class Answers {
  private Answers() {}

  static RuntimeException notFound(String collection) {
    return Status.NOT_FOUND.withDescription("Not found: Collection `" + collection + "` doesn't exist!")
        .asRuntimeException();
  }

  static RuntimeException alreadyExists(String collection) {
    return Status.ALREADY_EXISTS.withDescription("Wrong input: Collection `" + collection + "` already exists!")
        .asRuntimeException();
  }

  static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription("Wrong input: " + message).asRuntimeException();
  }

  static RuntimeException dimension(long expected, int got) {
    return invalid("Vector dimension error: expected dim: " + expected + ", got " + got);
  }

  static RuntimeException unimplemented(String what) {
    return Status.UNIMPLEMENTED.withDescription("stand-in supports " + what + " only").asRuntimeException();
  }

  /** The collection, or null after answering NOT_FOUND. */
  static Store.Held collection(Store store, String name, StreamObserver<?> out) {
    Store.Held held = store.get(name);
    if (held == null) {
      out.onError(notFound(name));
    }
    return held;
  }
}
