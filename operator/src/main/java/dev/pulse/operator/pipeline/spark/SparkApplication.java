package dev.pulse.operator.pipeline.spark;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The Spark operator's {@code SparkApplication} (sparkoperator.k8s.io/v1beta2), typed for the fields Pulse
 * sets and reads. Hand-written rather than generated: the upstream CRD is 0.85 MB and we use ~30 of its
 * fields; tests apply what this model produces to the real upstream CRD, so a wrong field name fails there.
 */
@Group("sparkoperator.k8s.io")
@Version("v1beta2")
@Kind("SparkApplication")
@Plural("sparkapplications")
public class SparkApplication extends CustomResource<SparkApplicationSpec, SparkApplicationStatus> implements Namespaced {}
