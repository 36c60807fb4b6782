package dev.pulse.operator.adapter;

import dev.pulse.crd.common.PvcPath;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.adapter.TrainingDataset;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the training pod finds its inputs and writes its output, and the volumes that put them there. The root file
 * system is read-only, so /tmp, the Hugging Face cache and /dev/shm (PyTorch's data loader) are emptyDirs.
 */
public final class TrainingVolumes {

  static final String DATA_DIR = "/data";
  static final String MODEL_DIR = "/models";
  static final String OUTPUT_DIR = "/output";
  static final String CACHE_DIR = "/cache";

  private TrainingVolumes() {}

  public static String trainFile(ModelAdapter adapter) {
    TrainingDataset dataset = adapter.getSpec().getDataset();
    if (dataset.getLabelledTopic() != null) {
      return DATA_DIR + "/" + LabelledExport.FILE;
    }
    return dataset.getConfigMap() != null ? DATA_DIR + "/" + dataset.getConfigMap().getKey()
        : DATA_DIR + inside(dataset.getPvc());
  }

  /** The labelled export's mounts: the dataset emptyDir it writes, and /tmp (the root file system is read-only). */
  static List<VolumeMount> exportMounts() {
    return List.of(mount("dataset", DATA_DIR, false), mount("tmp", "/tmp", false));
  }

  /** A directory on the weights PVC, or a Hugging Face Hub id the trainer downloads with HF_TOKEN. */
  public static String baseModel(ModelAdapter adapter) {
    PvcPath weights = adapter.getSpec().getBaseModel().getWeightsPvc();
    return weights == null ? adapter.getSpec().getBaseModel().getName() : trimSlash(MODEL_DIR + inside(weights));
  }

  /** {@code <output path>/<adapter name>/<generation>} on the output PVC, as the pod sees it. */
  public static String outputDir(ModelAdapter adapter) {
    return trimSlash(OUTPUT_DIR + inside(adapter.getSpec().getOutput().getPvc())) + "/" + relativeOutput(adapter);
  }

  /**
   * Where the adapter is, for whoever serves it: {@code pvc://<claim>/<path in the volume>}, e.g.
   * {@code pvc://pulse-adapters/adapters/northwind-gemma-sentiment/3}.
   */
  public static String adapterPath(ModelAdapter adapter) {
    PvcPath pvc = adapter.getSpec().getOutput().getPvc();
    String dir = trimSlash(inside(pvc));
    return "pvc://" + pvc.getClaimName() + ("/".equals(dir) ? "" : dir) + "/" + relativeOutput(adapter);
  }

  static String relativeOutput(ModelAdapter adapter) {
    return adapter.getMetadata().getName() + "/" + generation(adapter);
  }

  static long generation(ModelAdapter adapter) {
    Long generation = adapter.getMetadata().getGeneration();
    return generation == null ? 1 : generation;
  }

  static List<VolumeMount> mounts(ModelAdapter adapter) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("dataset", DATA_DIR, true));
    if (adapter.getSpec().getBaseModel().getWeightsPvc() != null) {
      mounts.add(mount("base-model", MODEL_DIR, true));
    }
    mounts.add(mount("output", OUTPUT_DIR, false));
    mounts.add(mount("cache", CACHE_DIR, false));
    mounts.add(mount("tmp", "/tmp", false));
    mounts.add(mount("dshm", "/dev/shm", false));
    return mounts;
  }

  static List<Volume> volumes(ModelAdapter adapter) {
    TrainingDataset dataset = adapter.getSpec().getDataset();
    List<Volume> volumes = new ArrayList<>();
    if (dataset.getLabelledTopic() != null) {
      // Written by the labelled-export init container, read by the trainer.
      volumes.add(new VolumeBuilder().withName("dataset").withNewEmptyDir().withSizeLimit(new Quantity("1Gi"))
          .endEmptyDir().build());
    } else {
      volumes.add(dataset.getConfigMap() != null
          ? new VolumeBuilder().withName("dataset").withNewConfigMap().withName(dataset.getConfigMap().getName())
              .endConfigMap().build()
          : claim("dataset", dataset.getPvc().getClaimName(), true));
    }
    PvcPath weights = adapter.getSpec().getBaseModel().getWeightsPvc();
    if (weights != null) {
      volumes.add(claim("base-model", weights.getClaimName(), true));
    }
    volumes.add(claim("output", adapter.getSpec().getOutput().getPvc().getClaimName(), false));
    // A 2-3B model downloaded from the Hub is ~5 GB in fp16.
    volumes.add(new VolumeBuilder().withName("cache").withNewEmptyDir().withSizeLimit(new Quantity("20Gi"))
        .endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("2Gi"))
        .endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName("dshm").withNewEmptyDir().withMedium("Memory")
        .withSizeLimit(new Quantity("1Gi")).endEmptyDir().build());
    return volumes;
  }

  private static Volume claim(String name, String claimName, boolean readOnly) {
    return new VolumeBuilder().withName(name).withNewPersistentVolumeClaim().withClaimName(claimName)
        .withReadOnly(readOnly).endPersistentVolumeClaim().build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
  }

  /** The path inside a volume, "/" when unset, always starting with "/". */
  private static String inside(PvcPath pvc) {
    String path = pvc == null || pvc.getPath() == null || pvc.getPath().isBlank() ? "/" : pvc.getPath();
    return path.startsWith("/") ? path : "/" + path;
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
