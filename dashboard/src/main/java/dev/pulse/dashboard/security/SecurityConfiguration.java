package dev.pulse.dashboard.security;

import dev.pulse.dashboard.config.DashboardProperties;
import dev.pulse.websecurity.BearerTokenFilter;
import dev.pulse.websecurity.StatelessSecurity;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what. With a token (cluster mode, from the Secret), /api/**, /ws and the actuator (except health and
 * the Prometheus scrape, which probes and Prometheus need) require it; the web app's files stay public (they hold no
 * data). Spring Security decides on the normalised path, and its default firewall answers 400 to any request whose
 * path could be read two ways (";" parameters such as ;jsessionid, encoded "/", "\", "." or "%", "//", "." and ".."
 * segments), so no spelling of a protected path reaches a controller without the token. Without a token (local
 * mode) everything is open, as before. Stateless: no session, no cookie, hence no CSRF token to check. The chain's
 * app-independent parts (the constant-time Bearer check, the 401, the firewall's 400) are the web-security module's,
 * shared with the LLM gateway.
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
    return StatelessSecurity.badRequestOnAmbiguousPaths();
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, DashboardProperties props, LiveTickets tickets)
      throws Exception {
    StatelessSecurity.stateless(http);
    if (props.auth().enabled() && !props.local()) {
      // The single-use ticket counts on the WebSocket handshake only (a browser cannot set its header).
      BearerTokenFilter filter = new BearerTokenFilter(props.auth().token(), "dashboard-client",
          request -> "/ws".equals(request.getServletPath()) && request.getParameter("ticket") != null
              ? tickets.redeem(request.getParameter("ticket")) : null);
      http.addFilterBefore(filter, AuthorizationFilter.class)
          .authorizeHttpRequests(a -> a
              .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
              .requestMatchers("/api/**", "/ws", "/ws/**", "/actuator/**").authenticated()
              .anyRequest().permitAll())
          .exceptionHandling(e -> e.authenticationEntryPoint(StatelessSecurity.unauthorized("pulse-dashboard",
              "a bearer token is required", "the bearer token or ticket is not valid")));
    } else {
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
    }
    return http.build();
  }
}
