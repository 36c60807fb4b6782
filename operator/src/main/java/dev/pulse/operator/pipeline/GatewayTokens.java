package dev.pulse.operator.pipeline;

import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.operator.support.OwnedObjects;
import dev.pulse.operator.support.References;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The LLM gateway's service token, so that the gateway is never open by default. A Secret the user names in
 * {@code spec.llm.gatewayTokenSecret} is only checked (missing Secret or key: {@code SecretMissing}); without one, the
 * operator makes a per-pipeline Secret ({@link PipelineNames#gatewayToken}), owned by the pipeline so it goes with it,
 * holding a random token. It is made once and then only read, never regenerated: a new token would need every
 * caller restarted at the same moment. The token's value never leaves this class (nor reaches a log or status).
 */
public final class GatewayTokens {

  /** The Secret's key, as for a user-named Secret without a key. */
  public static final String KEY = "token";
  /** 256 bits: far beyond guessing, and the length of the user's "any long random string". */
  private static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private GatewayTokens() {}

  /** The Secret key the gateway and its callers read: the one the user names, or the operator's own. */
  public static SecretKeyRef secretKey(SentimentPipeline p, LlmSpec llm) {
    return llm.getGatewayTokenSecret() != null ? llm.getGatewayTokenSecret()
        : new SecretKeyRef(PipelineNames.gatewayToken(p), KEY);
  }

  /** Whether the operator makes the Secret (the spec names none). */
  public static boolean generated(LlmSpec llm) {
    return llm.getGatewayTokenSecret() == null;
  }

  /**
   * Makes sure the token exists: creates the operator's Secret when it does not exist yet, or reports a named Secret
   * (or its key) that is missing. Empty when the token is there.
   */
  public static Optional<References.Problem> ensure(KubernetesClient client, SentimentPipeline p, LlmSpec llm) {
    String ns = p.getMetadata().getNamespace();
    SecretKeyRef ref = secretKey(p, llm);
    if (!generated(llm)) {
      return References.secretKey(client, ns, ref.getName(), ref.keyOr(KEY), "LLM gateway token, spec.llm.gatewayTokenSecret");
    }
    Secret existing = client.secrets().inNamespace(ns).withName(ref.getName()).get();
    if (existing == null) {
      try {
        client.secrets().inNamespace(ns).resource(newSecret(p)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) { // 409: made meanwhile (a reconcile of a previous incarnation): kept as it is
          throw e;
        }
      }
      return Optional.empty();
    }
    // Present but without the key (someone edited it): say so rather than overwrite a Secret callers may be using.
    return References.secretKey(client, ns, ref.getName(), KEY, "LLM gateway token made by Pulse; delete the Secret "
        + "to have a new one made");
  }

  static Secret newSecret(SentimentPipeline p) {
    return new SecretBuilder()
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.gatewayToken(p), PipelineNames.GATEWAY))
        .withType("Opaque")
        .withData(Map.of(KEY, Base64.getEncoder().encodeToString(randomToken().getBytes(
            java.nio.charset.StandardCharsets.US_ASCII))))
        .build();
  }

  /** 32 random bytes as URL-safe Base64 without padding: 43 characters, safe in a header and an env variable. */
  static String randomToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
