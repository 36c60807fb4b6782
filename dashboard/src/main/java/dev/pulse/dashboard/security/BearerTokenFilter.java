package dev.pulse.dashboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires "Authorization: Bearer TOKEN" on /api and /ws when a token is configured (from a Kubernetes Secret,
 * through PULSE_DASHBOARD_TOKEN). Browsers cannot set headers on a WebSocket, so /ws also takes ?access_token=.
 * The comparison is constant-time and the token is never logged.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {
  private final byte[] expected;

  public BearerTokenFilter(String token) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !(path.startsWith("/api/") || path.equals("/ws"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String presented = null;
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = header.substring(7).trim();
    } else if (request.getRequestURI().equals("/ws")) {
      presented = request.getParameter("access_token");
    }
    if (presented != null
        && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Bearer realm=\"pulse-dashboard\"");
    response.setContentType("application/json");
    response.getWriter().write("{\"status\":401,\"error\":\"unauthorized\",\"message\":"
        + (presented == null ? "\"a bearer token is required\"" : "\"the bearer token is not valid\"") + "}");
  }
}
