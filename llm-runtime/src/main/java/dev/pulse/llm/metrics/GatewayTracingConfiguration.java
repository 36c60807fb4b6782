package dev.pulse.llm.metrics;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers {@link GatewayTracing} ahead of the security chain, so refused calls are traced too. */
@Configuration(proxyBeanMethods = false)
public class GatewayTracingConfiguration {

  @Bean(destroyMethod = "close")
  public GatewayTracing gatewayTracing() {
    return new GatewayTracing();
  }

  @Bean
  public FilterRegistrationBean<GatewayTracing> gatewayTracingFilter(GatewayTracing tracing) {
    FilterRegistrationBean<GatewayTracing> registration = new FilterRegistrationBean<>(tracing);
    registration.addUrlPatterns("/v1/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
