package dev.pulse.cli;

import java.util.List;

/**
 * Every {@code ./pulse} command: the one list the launcher, the usage, {@code ./pulse bench --help} and the shell
 * completion are made from. The modules keep their options; this holds only which module and main class run each
 * command, so that commands on different classpaths (Spark, Spring Boot) stay in their own JVMs.
 */
public final class Commands {
  private Commands() {}

  public static final List<Subcommand> ALL = List.of(
      javaOptions("local", "local", "dev.pulse.local.LocalMain",
          "Run the whole data path on this machine: Kafka, replay ingestion, scoring with embeddings, vector store, "
              + "aggregates and alerts, and the dashboard on http://localhost:8080 (--engine spark runs the Spark job "
              + "in local mode for the scoring part)"),
      java("render", "operator", "dev.pulse.operator.cli.OperatorCli",
          "Print, as YAML, every object the operator would create for the given CRs (-f FILE_OR_DIR)"),
      java("operator", "operator", "dev.pulse.operator.cli.OperatorCli",
          "Run the operator against the current kubeconfig"),
      java("ingest", "ingest", "dev.pulse.ingest.cli.IngestCli",
          "Run one ingester (--config FILE), as the ingester image does"),
      java("gateway", "llm-runtime", "dev.pulse.llm.GatewayApplication",
          "Run the LLM gateway (RAG + LLM escalation); configured by PULSE_* environment variables"),
      java("eval", "scoring-training", "dev.pulse.scoring.cli.ScoringCli",
          "Score a labelled set (--tweeteval DIR | --jsonl FILE) and print TweetEval's metrics"),
      java("train-scorer", "scoring-training", "dev.pulse.scoring.cli.ScoringCli",
          "Re-train the light scorer's learned tier from labelled tweets (--data DIR)"),
      java("spark", "spark-local", "dev.pulse.spark.local.SparkLocalCli",
          "Run the Spark job (what the SparkApplication runs) in local mode against a Kafka broker"),
      java("bench scorer", "scoring-training", "dev.pulse.scoring.cli.ScoringCli",
          "The light scorer's tiers beside Python vaderSentiment, one core each"),
      java("bench pipeline", "spark-local", "dev.pulse.spark.local.SparkLocalCli",
          "The Spark job's throughput and ingest-to-scored latency beside the same scoring in a plain JVM loop"),
      new Subcommand("bench operator", Runner.MAVEN_TEST_CLASSPATH, "operator",
          "dev.pulse.operator.bench.OperatorBench",
          "N pipelines on a real API server reconciled by the operator, beside an always-apply reference"),
      new Subcommand("bench cluster", Runner.MAVEN_TEST_CLASSPATH, "e2e", "dev.pulse.e2e.ClusterBench",
          "The pipeline's rate sweep on a real single-node cluster (root), beside bench pipeline in local mode"),
      javaOptions("bench dashboard", "local", "dev.pulse.local.bench.DashboardBench",
          "Fan-out latency of alerts to many WebSocket clients, and the dashboard's memory"),
      javaOptions("bench tracing", "local", "dev.pulse.local.TracingBench",
          "The local pipeline's throughput (ingest + score) with tracing off and on, exporting to a real Jaeger"),
      new Subcommand("test", Runner.MAVEN_VERIFY, "", "",
          "Run every test (same as ./mvnw verify, what CI runs)"),
      new Subcommand("cluster", Runner.SCRIPT, "", "hack/cluster/cluster.sh",
          "A local single-node Kubernetes cluster: cluster up|down|status|load IMAGE.tar|kubeconfig (root)"));

  private static Subcommand java(String words, String module, String main, String description) {
    return new Subcommand(words, Runner.JAVA, module, main, description);
  }

  private static Subcommand javaOptions(String words, String module, String main, String description) {
    return new Subcommand(words, Runner.JAVA_OPTIONS, module, main, description);
  }

  /** The declared command this command line starts with (the one with the most words), or null. */
  public static Subcommand find(List<String> args) {
    Subcommand found = null;
    for (Subcommand s : ALL) {
      if (s.matches(args) && (found == null || s.wordList().size() > found.wordList().size())) {
        found = s;
      }
    }
    return found;
  }
}
