package dev.pulse.dashboard.security;

import dev.pulse.dashboard.api.UnavailableException;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** POST /api/live-ticket: a single-use ticket for opening /ws (under /api, so it needs the bearer token). */
@RestController
@RequestMapping("/api")
public class LiveTicketController {
  private final LiveTickets tickets;

  public LiveTicketController(LiveTickets tickets) {
    this.tickets = tickets;
  }

  @PostMapping("/live-ticket")
  public Map<String, Object> ticket() {
    String ticket = tickets.issue()
        .orElseThrow(() -> new UnavailableException("too many unredeemed live tickets; try again shortly"));
    return Map.of("ticket", ticket, "expiresInSeconds", tickets.ttl().toSeconds());
  }
}
