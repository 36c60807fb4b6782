package dev.pulse.operator.adapter;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterSpec;
import dev.pulse.crd.v1alpha1.adapter.LoraParameters;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code python -m pulse_trainer.train} (llm-runtime/trainer) for a ModelAdapter. Unset
 * fields take the CRD's defaults, so {@code pulse render} of a CR that never saw an API server shows the same
 * arguments as the cluster runs.
 */
public final class TrainerArguments {

  public static final List<String> COMMAND = List.of("python", "-m", "pulse_trainer.train");
  public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  private TrainerArguments() {}

  public static List<String> of(ModelAdapter adapter) {
    ModelAdapterSpec spec = adapter.getSpec();
    LoraParameters lora = Optional.ofNullable(spec.getLora()).orElseGet(LoraParameters::new);
    List<String> args = new ArrayList<>();
    add(args, "--base-model", TrainingVolumes.baseModel(adapter));
    add(args, "--train-file", TrainingVolumes.trainFile(adapter));
    Double evalFraction = spec.getDataset().getEvalFraction();
    add(args, "--eval-fraction", number(evalFraction == null ? 0.1 : evalFraction));
    add(args, "--output-dir", TrainingVolumes.outputDir(adapter));
    add(args, "--lora-r", String.valueOf(or(lora.getR(), 16)));
    add(args, "--lora-alpha", String.valueOf(or(lora.getAlpha(), 32)));
    add(args, "--lora-dropout", number(or(lora.getDropout(), 0.05)));
    add(args, "--target-modules", String.join(",",
        lora.getTargetModules() == null || lora.getTargetModules().isEmpty()
            ? List.of("q_proj", "k_proj", "v_proj", "o_proj") : lora.getTargetModules()));
    add(args, "--epochs", String.valueOf(or(lora.getEpochs(), 3)));
    add(args, "--learning-rate", number(or(lora.getLearningRate(), 0.0002)));
    add(args, "--max-length", String.valueOf(or(lora.getMaxLength(), 256)));
    add(args, "--batch-size", String.valueOf(or(lora.getBatchSize(), 4)));
    add(args, "--grad-accum", String.valueOf(or(lora.getGradientAccumulation(), 4)));
    // A retried pod (backoffLimit) continues from the last checkpoint in the output directory.
    args.add("--resume");
    add(args, "--termination-message-path", TERMINATION_MESSAGE_PATH);
    return args;
  }

  private static void add(List<String> args, String flag, String value) {
    args.add(flag);
    args.add(value);
  }

  /** Plain decimal (0.0002, not 2.0E-4): what a person expects to read in {@code kubectl get job -o yaml}. */
  static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
