package dev.pulse.llm.config;

import dev.pulse.websecurity.BearerTokenFilter;
import dev.pulse.websecurity.StatelessSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Service-to-service authentication: with PULSE_GATEWAY_TOKEN set (the operator fills it from a Secret), every /v1
 * call and the actuator except the probes and the Prometheus scrape need "Authorization: Bearer TOKEN", compared in
 * constant time; health shows its components' details only to a token holder. The token is read once at start-up and
 * never logged. Without a token (a developer's own run) the gateway is open, and says so at start-up.
 * Spring Security decides on the normalised path; its firewall rejects ambiguous spellings (";", encoded "/" or
 * ".", "..") with 400. The chain's app-independent parts are the web-security module's, shared with the dashboard.
 */
@Configuration
@EnableWebSecurity
public class GatewaySecurity {
  /** The principal of a token holder: the LLM budget is kept per authenticated caller (see dev.pulse.llm.budget.Callers). */
  public static final String SERVICE_CALLER = "pulse-service";

  private static final Logger LOG = LoggerFactory.getLogger(GatewaySecurity.class);

  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return StatelessSecurity.badRequestOnAmbiguousPaths();
  }

  @Bean
  SecurityFilterChain gatewayFilterChain(HttpSecurity http, @Value("${pulse.gateway.token:}") String token)
      throws Exception {
    StatelessSecurity.stateless(http);
    if (token == null || token.isBlank()) {
      LOG.warn("PULSE_GATEWAY_TOKEN is not set: /v1 is open to anyone who can reach this port (the operator always"
          + " sets it in a cluster)");
      return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
    }
    return http.addFilterBefore(new BearerTokenFilter(token, SERVICE_CALLER), AuthorizationFilter.class)
        .authorizeHttpRequests(a -> a
            .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/prometheus").permitAll()
            .anyRequest().authenticated())
        .exceptionHandling(e -> e.authenticationEntryPoint(StatelessSecurity.unauthorized("pulse-llm-gateway",
            "a valid bearer token is required", "a valid bearer token is required")))
        .build();
  }
}
