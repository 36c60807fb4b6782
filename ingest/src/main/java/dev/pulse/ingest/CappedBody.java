package dev.pulse.ingest;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a cap: a declared Content-Length over it is refused before any byte is
 * read, and a body that grows past it (chunked, or a lying header) is cut off by cancelling the subscription, so a
 * hostile or broken server cannot make the ingester buffer more than the cap.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final String what;
  private final long max;
  private Flow.Subscription subscription;

  private CappedBody(String what, long max) {
    this.what = what;
    this.max = max;
  }

  static HttpResponse.BodyHandler<byte[]> handler(String what, long max) {
    return info -> {
      CappedBody body = new CappedBody(what, max);
      if (info.headers().firstValueAsLong("content-length").orElse(-1) > max) {
        body.result.completeExceptionally(new BodyTooLargeException(what, max));
      }
      return body;
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      if ((long) buffer.size() + item.remaining() > max) {
        subscription.cancel();
        result.completeExceptionally(new BodyTooLargeException(what, max));
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      buffer.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
