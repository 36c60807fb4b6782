package dev.pulse.websecurity;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The parts of a Pulse app's security that do not depend on the app: a stateless chain (no session, no cookie, hence
 * no CSRF token to check; no login form, basic auth or logout), 400 for a path that could be read two ways, and a
 * JSON 401 naming the realm.
 */
public final class StatelessSecurity {
  private StatelessSecurity() {}

  /** Turns off what a token-only API has no use for; the app adds its filter and rules. */
  public static HttpSecurity stateless(HttpSecurity http) throws Exception {
    return http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable())
        .anonymous(a -> { })
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
  }

  /**
   * Spring Security's default firewall rejects any path that could be read two ways (";" parameters, encoded "/",
   * "\", "." or "%", "//", "." and ".." segments); this answers those with 400 instead of a 500.
   */
  public static RequestRejectedHandler badRequestOnAmbiguousPaths() {
    return new HttpStatusRequestRejectedHandler(HttpServletResponse.SC_BAD_REQUEST);
  }

  /**
   * 401 with {@code WWW-Authenticate: Bearer realm="REALM"} and a JSON body whose message says whether a credential
   * was missing or not valid ({@link BearerTokenFilter#INVALID}).
   */
  public static AuthenticationEntryPoint unauthorized(String realm, String missingMessage, String invalidMessage) {
    return (request, response, ex) -> {
      boolean invalid = Boolean.TRUE.equals(request.getAttribute(BearerTokenFilter.INVALID));
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
      response.setContentType("application/json");
      response.getWriter().write("{\"status\":401,\"error\":\"unauthorized\",\"message\":\""
          + (invalid ? invalidMessage : missingMessage) + "\"}");
    };
  }
}
