package dev.pulse.dashboard.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The live channel: every browser holds one WebSocket, and each new aggregate or alert is serialised once and handed
 * to all of them as {"type": "aggregate"|"alert", "pipeline": ..., "data": {...}}. Handing it over never blocks: each
 * client has its own bounded queue, drained by a sender thread of its own while it has something to send, so the
 * Kafka consumer thread that calls {@link #broadcast} only ever enqueues. A client whose queue is full (it stopped
 * reading, or reads slower than the pipeline writes) is disconnected and counted; the browser reconnects and
 * re-reads the current state over REST.
 */
public final class LiveUpdates extends TextWebSocketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);

  private final Map<String, ClientQueue> clients = new ConcurrentHashMap<>();
  private final ObjectMapper json;
  private final int queueLimit;
  private final Timer fanOut;
  private final Counter sent;
  private final Counter dropped;
  private final ExecutorService senders;

  public LiveUpdates(ObjectMapper json, MeterRegistry registry, int queueLimit) {
    if (queueLimit < 1) {
      throw new IllegalArgumentException("pulse.dashboard.live.queue-limit must be at least 1, got " + queueLimit);
    }
    this.json = json;
    this.queueLimit = queueLimit;
    this.fanOut = Timer.builder("pulse.dashboard.ws.fanout")
        .description("time to hand one message to every connected client").publishPercentiles(0.5, 0.99)
        .register(registry);
    this.sent = Counter.builder("pulse.dashboard.ws.messages").description("messages sent to clients")
        .register(registry);
    this.dropped = Counter.builder("pulse.dashboard.ws.slow.clients")
        .description("clients disconnected because their queue was full").register(registry);
    Gauge.builder("pulse.dashboard.ws.sessions", clients, Map::size).description("open WebSocket sessions")
        .register(registry);
    AtomicInteger n = new AtomicInteger();
    // One thread per client with something to send (a blocked client holds only its own); idle threads end.
    this.senders = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "pulse-dashboard-ws-sender-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) {
    ClientQueue client = new ClientQueue(session, queueLimit, senders, this::onSent, this::onFailed);
    clients.put(session.getId(), client);
    client.offer(new TextMessage("{\"type\":\"hello\"}"));
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    clients.remove(session.getId());
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    clients.remove(session.getId());
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    // Clients only listen; a "ping" text is answered by the transport's own keep-alive, nothing to do.
  }

  public int sessionCount() {
    return clients.size();
  }

  /** Hands one message to every open session's queue; returns at once whatever the clients do. */
  public void broadcast(String type, String pipeline, Object data) {
    ObjectNode envelope = json.createObjectNode();
    envelope.put("type", type);
    envelope.put("pipeline", pipeline);
    envelope.set("data", json.valueToTree(data));
    TextMessage message;
    try {
      message = new TextMessage(json.writeValueAsString(envelope));
    } catch (IOException e) {
      LOG.warn("cannot serialise a {} message: {}", type, e.toString());
      return;
    }
    long start = System.nanoTime();
    for (ClientQueue client : clients.values()) {
      if (!client.offer(message)) {
        clients.remove(client.id());
        dropped.increment();
        LOG.info("disconnecting live client {}: {} messages waiting (it does not keep up)", client.id(), queueLimit);
        // Closing may itself wait on the socket: not on this thread.
        senders.execute(() -> client.close(CloseStatus.SESSION_NOT_RELIABLE));
      }
    }
    fanOut.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private void onSent() {
    sent.increment();
  }

  private void onFailed(ClientQueue client, Exception e) {
    LOG.debug("dropping session {}: {}", client.id(), e.toString());
    clients.remove(client.id());
    client.close(CloseStatus.SESSION_NOT_RELIABLE);
  }
}
