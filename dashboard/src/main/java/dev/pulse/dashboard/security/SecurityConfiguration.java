package dev.pulse.dashboard.security;

import dev.pulse.dashboard.config.DashboardProperties;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what. With a token (cluster mode, from the Secret), /api/**, /ws and the actuator (except health and
 * the Prometheus scrape, which probes and Prometheus need) require it; the web app's files stay public (they hold no
 * data). Spring Security decides on the normalised path, and its default firewall answers 400 to any request whose
 * path could be read two ways (";" parameters such as ;jsessionid, encoded "/", "\", "." or "%", "//", "." and ".."
 * segments), so no spelling of a protected path reaches a controller without the token. Without a token (local
 * mode) everything is open, as before. Stateless: no session, no cookie, hence no CSRF token to check.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {

  @Bean
  LiveTickets liveTickets(Clock clock) {
    return new LiveTickets(clock, Duration.ofSeconds(30), 10_000);
  }

  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return new HttpStatusRequestRejectedHandler(HttpServletResponse.SC_BAD_REQUEST);
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, DashboardProperties props, LiveTickets tickets)
      throws Exception {
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable())
        .anonymous(a -> { })
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    if (props.auth().enabled() && !props.local()) {
      http.addFilterBefore(new TokenAuthenticationFilter(props.auth().token(), tickets), AuthorizationFilter.class)
          .authorizeHttpRequests(a -> a
              .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
              .requestMatchers("/api/**", "/ws", "/ws/**", "/actuator/**").authenticated()
              .anyRequest().permitAll())
          .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized()));
    } else {
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
    }
    return http.build();
  }

  private static AuthenticationEntryPoint unauthorized() {
    return (request, response, ex) -> {
      boolean invalid = Boolean.TRUE.equals(request.getAttribute(TokenAuthenticationFilter.INVALID));
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("WWW-Authenticate", "Bearer realm=\"pulse-dashboard\"");
      response.setContentType("application/json");
      response.getWriter().write("{\"status\":401,\"error\":\"unauthorized\",\"message\":"
          + (invalid ? "\"the bearer token or ticket is not valid\"" : "\"a bearer token is required\"") + "}");
    };
  }
}
