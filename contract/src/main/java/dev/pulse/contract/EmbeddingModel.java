package dev.pulse.contract;

/** Which all-MiniLM-L6-v2 export embeds posts: the quantised one (default, about twice as fast) or the original. */
public enum EmbeddingModel { int8, fp32 }
