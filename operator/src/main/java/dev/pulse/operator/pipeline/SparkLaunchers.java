package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;

/**
 * Who runs a pipeline's Spark job: {@code spec.spark.launcher}, or when unset the Spark operator where its
 * SparkApplication CRD is served and the Pulse operator itself ({@link SparkDriver}) everywhere else.
 */
public final class SparkLaunchers {

  private SparkLaunchers() {}

  public static SparkSpec.Launcher of(SentimentPipeline p, boolean sparkOperatorServed) {
    SparkSpec.Launcher asked = PipelineDefaults.spark(p).getLauncher();
    if (asked != null) {
      return asked;
    }
    return sparkOperatorServed ? SparkSpec.Launcher.SparkOperator : SparkSpec.Launcher.Native;
  }

  public static boolean isNative(SentimentPipeline p, RenderInputs inputs) {
    return of(p, inputs.sparkOperator()) == SparkSpec.Launcher.Native;
  }
}
