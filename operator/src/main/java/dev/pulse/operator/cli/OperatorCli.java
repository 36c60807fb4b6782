package dev.pulse.operator.cli;

import dev.pulse.operator.OperatorApplication;
import dev.pulse.operator.support.PulseImages;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pulse operator} and {@code ./pulse render}: the operator module's command line. */
@Command(name = "pulse", mixinStandardHelpOptions = true, versionProvider = dev.pulse.cli.VersionProvider.class,
    scope = CommandLine.ScopeType.INHERIT, // subcommands answer --version with the build's version too
    description = "Pulse operator commands.",
    subcommands = {OperatorCli.Run.class, OperatorCli.Render.class, CommandLine.HelpCommand.class})
public final class OperatorCli implements Runnable {

  public static void main(String[] args) {
    int exit = new CommandLine(new OperatorCli()).execute(args);
    if (exit != 0 || args.length == 0 || !"operator".equals(args[0])) {
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  @Command(name = "operator", mixinStandardHelpOptions = true,
      description = {"Run the operator against the current kubeconfig ($KUBECONFIG, ~/.kube/config, or the pod's "
          + "service account). Settings are Spring Boot properties, e.g. --pulse.operator.namespaces=team-a,team-b "
          + "or PULSE_OPERATOR_LEADER_ELECTION=true."},
      footer = {"", "Health: http://localhost:8081/actuator/health   Metrics: http://localhost:8081/actuator/prometheus"})
  static final class Run implements Callable<Integer> {
    @Option(names = "--namespace", split = ",", description = "Namespaces to watch (default: all).")
    String[] namespaces;

    @Option(names = "--leader-election", description = "Take a Lease before reconciling (for more than one replica).")
    boolean leaderElection;

    @Override
    public Integer call() {
      java.util.List<String> args = new java.util.ArrayList<>();
      if (namespaces != null) {
        args.add("--pulse.operator.namespaces=" + String.join(",", namespaces));
      }
      if (leaderElection) {
        args.add("--pulse.operator.leader-election=true");
      }
      OperatorApplication.main(args.toArray(String[]::new));
      return 0;
    }
  }

  @Command(name = "render", mixinStandardHelpOptions = true,
      description = {"Print, as YAML, every object the operator would create for the given CRs, with no cluster: "
          + "for GitOps review, diffs between versions, and tests.",
          "Reads SourceFeeds, ModelAdapters and SentimentPipelines from a file (several documents separated by "
          + "---) or a directory of .yaml/.yml/.json files; other kinds are skipped with a note on stderr."},
      footer = {"", "Example: ./pulse render -f config/samples/ > rendered.yaml"})
  static final class Render implements Callable<Integer> {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE_OR_DIR",
        description = "A CR file or a directory of them.")
    java.nio.file.Path file;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default",
        description = "Namespace of resources that do not set one (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Override
    public Integer call() {
      try {
        String yaml = new Renderer(PulseImages.defaults(), namespace, System.err).render(file);
        System.out.print(yaml);
        System.out.flush();
        return 0;
      } catch (Renderer.InputException e) {
        System.err.println("pulse render: " + e.getMessage());
        return 1;
      }
    }
  }
}
