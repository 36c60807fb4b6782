package dev.pulse.dashboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request that carries "Authorization: Bearer TOKEN" (compared in constant time) or, on the
 * WebSocket handshake only, a single-use ticket from {@link LiveTickets}. It only authenticates: which paths need it
 * is decided by Spring Security's authorization rules on the normalised path (see {@link SecurityConfiguration}).
 * Neither the token nor a ticket is ever logged.
 */
final class TokenAuthenticationFilter extends OncePerRequestFilter {
  static final String INVALID = TokenAuthenticationFilter.class.getName() + ".invalid";

  private final byte[] expected;
  private final LiveTickets tickets;

  TokenAuthenticationFilter(String token, LiveTickets tickets) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
    this.tickets = tickets;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    boolean ok = false;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ok = MessageDigest.isEqual(expected, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
      request.setAttribute(INVALID, !ok);
    } else if ("/ws".equals(request.getServletPath()) && request.getParameter("ticket") != null) {
      ok = tickets.redeem(request.getParameter("ticket"));
      request.setAttribute(INVALID, !ok);
    }
    if (ok) {
      var context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("dashboard-client", null, List.of()));
      SecurityContextHolder.setContext(context);
    }
    try {
      chain.doFilter(request, response);
    } finally {
      if (ok) {
        SecurityContextHolder.clearContext();
      }
    }
  }
}
