package dev.pulse.testsupport;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In front of every service: counts calls, plays a server that is down or hangs, and checks the api-key as Qdrant does.
 */
final class Gate implements ServerInterceptor {
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

  private final String apiKey;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean failing;
  private volatile boolean hanging;

  Gate(String apiKey) {
    this.apiKey = apiKey;
  }

  int calls() {
    return calls.get();
  }

  void failing(boolean failing) {
    this.failing = failing;
  }

  void hanging(boolean hanging) {
    this.hanging = hanging;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    calls.incrementAndGet();
    if (failing) {
      return refuse(call, Status.UNAVAILABLE.withDescription("stand-in is failing"));
    }
    if (hanging) {
      return new ServerCall.Listener<>() {}; // never answered: only the client's deadline ends the call
    }
    if (apiKey != null && !apiKey.equals(headers.get(API_KEY))) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("Invalid api-key"));
    }
    return next.startCall(call, headers);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
