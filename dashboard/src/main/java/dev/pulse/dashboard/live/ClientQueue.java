package dev.pulse.dashboard.live;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One client's outgoing messages: a bounded queue and at most one sender task at a time (so messages stay in order
 * and the session is never written by two threads). {@link #offer} never blocks.
 */
final class ClientQueue {
  private final WebSocketSession session;
  private final ArrayBlockingQueue<TextMessage> queue;
  private final Executor senders;
  private final Runnable onSent;
  private final BiConsumer<ClientQueue, Exception> onFailed;
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean closed;

  ClientQueue(WebSocketSession session, int limit, Executor senders, Runnable onSent,
      BiConsumer<ClientQueue, Exception> onFailed) {
    this.session = session;
    this.queue = new ArrayBlockingQueue<>(limit);
    this.senders = senders;
    this.onSent = onSent;
    this.onFailed = onFailed;
  }

  String id() {
    return session.getId();
  }

  /** Queues the message; false when the queue is full (the client is too slow) or the client is gone. */
  boolean offer(TextMessage message) {
    if (closed || !queue.offer(message)) {
      return false;
    }
    if (draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
    return true;
  }

  private void drain() {
    while (true) {
      TextMessage next;
      while (!closed && (next = queue.poll()) != null) {
        try {
          session.sendMessage(next);
          onSent.run();
        } catch (IOException | RuntimeException e) {
          closed = true;
          onFailed.accept(this, e);
          return;
        }
      }
      draining.set(false);
      // A message offered after the last poll but before the flag was cleared would otherwise wait for the next one.
      if (closed || queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  void close(CloseStatus status) {
    closed = true;
    queue.clear();
    try {
      session.close(status);
    } catch (IOException | RuntimeException ignored) {
      // already gone
    }
  }
}
