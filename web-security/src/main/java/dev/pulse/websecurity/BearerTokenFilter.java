package dev.pulse.websecurity;

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
 * Authenticates a request that carries "Authorization: Bearer TOKEN" (compared in constant time, so the time taken
 * says nothing of how much of a guess was right) or, where the app has one, another credential. It only
 * authenticates: which paths need it is up to the app's authorization rules, which Spring Security applies to the
 * normalised path. Neither the token nor the other credential is ever logged.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {
  /** Request attribute: true when the request carried a credential that was not valid (for the 401's message). */
  public static final String INVALID = BearerTokenFilter.class.getName() + ".invalid";

  /** A credential a request may carry instead of the header (the dashboard's single-use WebSocket ticket). */
  @FunctionalInterface
  public interface OtherCredential {
    /** Null when the request carries none; otherwise whether it is valid. */
    Boolean check(HttpServletRequest request);
  }

  private final byte[] expected;
  private final String principal;
  private final OtherCredential other;

  /** @param principal the name a token holder is known by (e.g. for per-caller budgets) */
  public BearerTokenFilter(String token, String principal) {
    this(token, principal, request -> null);
  }

  public BearerTokenFilter(String token, String principal, OtherCredential other) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("a bearer token filter needs a token");
    }
    this.expected = token.trim().getBytes(StandardCharsets.UTF_8);
    this.principal = principal;
    this.other = other;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    Boolean ok = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ok = MessageDigest.isEqual(expected, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    } else {
      ok = other.check(request);
    }
    if (ok != null) {
      request.setAttribute(INVALID, !ok);
    }
    boolean authenticated = Boolean.TRUE.equals(ok);
    if (authenticated) {
      var context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null, List.of()));
      SecurityContextHolder.setContext(context);
    }
    try {
      chain.doFilter(request, response);
    } finally {
      if (authenticated) {
        SecurityContextHolder.clearContext();
      }
    }
  }
}
