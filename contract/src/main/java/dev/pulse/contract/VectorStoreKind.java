package dev.pulse.contract;

/** Where the Spark job puts the scored posts' embeddings: Qdrant, this JVM's memory (local runs) or nowhere. */
public enum VectorStoreKind { qdrant, memory, none }
