package dev.pulse.contract;

/** How the scored-posts query runs (the CRD's {@code spec.spark.triggerMode}); aggregates are always micro-batch. */
public enum TriggerMode { MicroBatch, RealTime }
