package dev.pulse.dashboard.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The live channel: every browser holds one WebSocket, and each new aggregate or alert is serialised once and sent
 * to all of them as {"type": "aggregate"|"alert", "pipeline": ..., "data": {...}}. A slow client gets its messages
 * buffered (up to a limit, then it is closed), so it never holds up the others.
 */
public final class LiveUpdates extends TextWebSocketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
  private static final int SEND_TIME_LIMIT_MS = 5_000;
  private static final int BUFFER_LIMIT_BYTES = 1 << 20;

  private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
  private final ObjectMapper json;
  private final Timer fanOut;
  private final Counter sent;

  public LiveUpdates(ObjectMapper json, MeterRegistry registry) {
    this.json = json;
    this.fanOut = Timer.builder("pulse.dashboard.ws.fanout")
        .description("time to hand one message to every connected client").publishPercentiles(0.5, 0.99)
        .register(registry);
    this.sent = Counter.builder("pulse.dashboard.ws.messages").description("messages sent to clients")
        .register(registry);
    Gauge.builder("pulse.dashboard.ws.sessions", sessions, Set::size).description("open WebSocket sessions")
        .register(registry);
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) throws IOException {
    var decorated = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT_BYTES);
    sessions.add(decorated);
    decorated.sendMessage(new TextMessage("{\"type\":\"hello\"}"));
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    sessions.removeIf(s -> s.getId().equals(session.getId()));
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    sessions.removeIf(s -> s.getId().equals(session.getId()));
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    // Clients only listen; a "ping" text is answered by the transport's own keep-alive, nothing to do.
  }

  public int sessionCount() {
    return sessions.size();
  }

  /** Sends one message to every open session. */
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
    for (WebSocketSession s : sessions) {
      if (!s.isOpen()) {
        sessions.remove(s);
        continue;
      }
      try {
        s.sendMessage(message);
        sent.increment();
      } catch (IOException | RuntimeException e) {
        LOG.debug("dropping session {}: {}", s.getId(), e.toString());
        sessions.remove(s);
        try {
          s.close(CloseStatus.SESSION_NOT_RELIABLE);
        } catch (IOException ignored) {
          // already gone
        }
      }
    }
    fanOut.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
