package dev.pulse.llm;

import dev.pulse.appconfig.ConfigName;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The LLM gateway: the Spark job's escalation path to vLLM, with RAG over Qdrant. */
// No user store: the only credential is the service token (config/GatewaySecurity), so Boot's generated default
// user (and its password in the log) is left out.
// Its settings are llm-gateway.properties, not the application.* that every Spring Boot app reads: a JVM holding two
// apps (./pulse local, the observability tests) keeps them apart.
@ConfigName("llm-gateway")
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class GatewayApplication {

  public static void main(String[] args) {
    // The launcher passes "gateway ..." (that word is Spring's to ignore); the image passes Spring's --key=value only.
    if (GatewayCommand.answeredHelp(args)) {
      return;
    }
    nativeCacheInTmp();
    SpringApplication.run(GatewayApplication.class, args);
  }

  /**
   * The embedding model's tokenizer (DJL) unpacks a native library under ~/.djl.ai unless told
   * otherwise; in a pod with a read-only root file system only the /tmp volume is writable, where
   * ONNX Runtime unpacks its own library too.
   */
  static void nativeCacheInTmp() {
    if (isBlank(System.getProperty("DJL_CACHE_DIR")) && isBlank(System.getenv("DJL_CACHE_DIR"))) {
      System.setProperty("DJL_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "djl").toString());
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
