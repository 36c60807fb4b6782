package dev.pulse.dashboard.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived, single-use tickets for the WebSocket handshake. Browsers cannot set an Authorization header on a
 * WebSocket, and the bearer token must not travel in a URL (proxies and access logs keep URLs): a holder of the token
 * asks POST /api/live-ticket for a ticket and opens /ws?ticket=... with it. A ticket is 256 random bits, valid for
 * {@code ttl}, and gone once redeemed, so a ticket seen in a log is already useless.
 */
public final class LiveTickets {
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Long> expiries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;
  private final int maxOutstanding;

  public LiveTickets(Clock clock, Duration ttl, int maxOutstanding) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxOutstanding = maxOutstanding;
  }

  public Duration ttl() {
    return ttl;
  }

  /** A new ticket; empty when {@code maxOutstanding} unexpired tickets are waiting (the map stays bounded). */
  public java.util.Optional<String> issue() {
    long now = clock.millis();
    if (expiries.size() >= maxOutstanding) {
      expiries.values().removeIf(expiry -> expiry <= now);
      if (expiries.size() >= maxOutstanding) {
        return java.util.Optional.empty();
      }
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    expiries.put(ticket, now + ttl.toMillis());
    return java.util.Optional.of(ticket);
  }

  /** True once for a ticket issued here less than {@code ttl} ago; false for any other string, and ever after. */
  public boolean redeem(String ticket) {
    if (ticket == null || ticket.isEmpty()) {
      return false;
    }
    Long expiry = expiries.remove(ticket);
    return expiry != null && clock.millis() < expiry;
  }

  int outstanding() {
    return expiries.size();
  }
}
