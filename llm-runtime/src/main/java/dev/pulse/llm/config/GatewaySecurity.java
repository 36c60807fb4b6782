package dev.pulse.llm.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Service-to-service authentication: with PULSE_GATEWAY_TOKEN set (the operator fills it from a Secret), every /v1
 * call and the actuator except the probes and the Prometheus scrape need "Authorization: Bearer TOKEN", compared in
 * constant time; health shows its components' details only to a token holder. The token is read once at start-up and
 * never logged. Without a token (a developer's own run) the gateway is open, and says so at start-up.
 * Spring Security decides on the normalised path; its firewall rejects ambiguous spellings (";", encoded "/" or
 * ".", "..") with 400.
 */
@Configuration
@EnableWebSecurity
public class GatewaySecurity {
  /** The principal of a token holder: the LLM budget is kept per authenticated caller (see dev.pulse.llm.budget.Callers). */
  public static final String SERVICE_CALLER = "pulse-service";

  private static final Logger LOG = LoggerFactory.getLogger(GatewaySecurity.class);

  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return new HttpStatusRequestRejectedHandler(HttpServletResponse.SC_BAD_REQUEST);
  }

  @Bean
  SecurityFilterChain gatewayFilterChain(HttpSecurity http, @Value("${pulse.gateway.token:}") String token)
      throws Exception {
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    if (token == null || token.isBlank()) {
      LOG.warn("PULSE_GATEWAY_TOKEN is not set: /v1 is open to anyone who can reach this port (the operator always"
          + " sets it in a cluster)");
      return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
    }
    return http.addFilterBefore(new BearerFilter(token), AuthorizationFilter.class)
        .authorizeHttpRequests(a -> a
            .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/prometheus").permitAll()
            .anyRequest().authenticated())
        .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> {
          response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
          response.setHeader("WWW-Authenticate", "Bearer realm=\"pulse-llm-gateway\"");
          response.setContentType("application/json");
          response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"a valid bearer token is required\"}");
        }))
        .build();
  }

  /** Authenticates "Authorization: Bearer TOKEN"; what needs it is up to the rules above. */
  static final class BearerFilter extends OncePerRequestFilter {
    private final byte[] expected;

    BearerFilter(String token) {
      this.expected = token.trim().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String header = request.getHeader("Authorization");
      boolean ok = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
          && MessageDigest.isEqual(expected, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
      if (ok) {
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(SERVICE_CALLER, null, List.of()));
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
}
