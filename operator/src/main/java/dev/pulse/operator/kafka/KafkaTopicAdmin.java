package dev.pulse.operator.kafka;

import dev.pulse.operator.kafka.TopicsOutcome.Change;
import dev.pulse.operator.kafka.TopicsOutcome.TopicResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manages topics on a Kafka that Strimzi does not manage, through Kafka's Admin API: creates a missing topic with
 * its partitions, replication factor and config; raises partitions when the request grows (Kafka cannot lower them,
 * so a smaller request is reported, not applied); sets changed config values with incrementalAlterConfigs (only the
 * keys requested: configs others set on the topic stay). It never deletes a topic.
 *
 * <p>Every call is bounded ({@link #CALL_TIMEOUT}), and every failure becomes a {@link TopicsOutcome} with a reason
 * and a message a person can act on (unreachable brokers, too few brokers for the replication factor, missing ACLs),
 * never an exception: one unreachable Kafka must not fail or stall the reconcile of anything else.
 *
 * <p>Admin clients are kept per bootstrap-server list (a client holds connections and a thread) and closed when idle
 * for {@link #IDLE_CLOSE} or after the cluster could not be reached (so no client keeps retrying a dead address).
 * Connects as the resource's {@link KafkaConnection} says: PLAINTEXT, or TLS and SASL with credentials the
 * operator read from Secrets ({@link KafkaClientSecurity}); clients are kept per address and settings digest, and
 * no message or log line carries a setting's value.
 */
public class KafkaTopicAdmin implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaTopicAdmin.class);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);
  static final Duration IDLE_CLOSE = Duration.ofMinutes(15);

  private record Entry(Admin admin, Instant lastUsed) {}

  private final Clock clock;
  private final Duration timeout;
  private final Map<String, Entry> admins = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public KafkaTopicAdmin() {
    this(Clock.systemUTC(), CALL_TIMEOUT);
  }

  public KafkaTopicAdmin(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Brings each requested topic to its request as far as Kafka allows, and reports each one's state. */
  public TopicsOutcome ensure(String bootstrapServers, List<TopicRequest> requests) {
    return ensure(KafkaConnection.plaintext(bootstrapServers), requests);
  }

  /** As {@link #ensure(String, List)}, over the connection's protocol and credentials. */
  public TopicsOutcome ensure(KafkaConnection connection, List<TopicRequest> requests) {
    String bootstrapServers = connection.bootstrapServers();
    String clientKey = connection.key();
    if (closed) {
      // A reconcile still running while the operator stops: start no client that nobody would close.
      return TopicsOutcome.failed(bootstrapServers, TopicsOutcome.ERROR, "The operator is stopping; retrying later.");
    }
    closeIdle();
    Admin admin;
    try {
      admin = admin(clientKey, connection);
    } catch (KafkaException e) {
      // Raised at creation when no bootstrap address resolves (e.g. the Service does not exist yet), or when the
      // security settings are unusable (e.g. a CA Secret that holds no PEM certificate).
      return TopicsOutcome.failed(bootstrapServers, TopicsOutcome.UNREACHABLE, "Cannot reach Kafka at "
          + bootstrapServers + ": " + rootMessage(e) + ". Check spec.kafka.bootstrapServers (host:port of a "
          + connection.protocol() + " listener the operator's pod can resolve and reach) and spec.kafka.security; "
          + "the operator retries with backoff.");
    }
    try {
      int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis())).nodes()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      Map<String, TopicDescription> existing = describe(admin, requests);
      Map<String, Config> configs = existing.isEmpty() ? Map.of() : configs(admin, existing.keySet());
      List<TopicResult> results = new ArrayList<>();
      List<Change> changes = new ArrayList<>();
      List<TopicRequest> missing = requests.stream().filter(r -> !existing.containsKey(r.name())).toList();
      results.addAll(create(admin, bootstrapServers, missing, brokers, changes));
      for (TopicRequest request : requests) {
        TopicDescription description = existing.get(request.name());
        if (description != null) {
          results.add(update(admin, bootstrapServers, request, description, configs.get(request.name()), changes));
        }
      }
      return new TopicsOutcome(bootstrapServers, null, order(results, requests), changes);
    } catch (ExecutionException e) {
      return clusterFailure(clientKey, connection, e.getCause());
    } catch (TimeoutException e) {
      return clusterFailure(clientKey, connection, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAdmin(clientKey); // interrupted mid-call (the operator stopping): leave no client retrying
      return TopicsOutcome.failed(bootstrapServers, TopicsOutcome.ERROR, "Interrupted while asking Kafka at "
          + bootstrapServers + "; retrying.");
    } catch (RuntimeException e) {
      // E.g. a client closed by a concurrent reconcile that found the cluster unreachable: ask again later.
      closeAdmin(clientKey);
      return TopicsOutcome.failed(bootstrapServers, TopicsOutcome.ERROR, "Could not manage topics on Kafka at "
          + bootstrapServers + ": " + e + "; retrying with backoff.");
    }
  }

  private Map<String, TopicDescription> describe(Admin admin, List<TopicRequest> requests)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(
        requests.stream().map(TopicRequest::name).toList()).topicNameValues();
    Map<String, TopicDescription> found = new LinkedHashMap<>();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> f : futures.entrySet()) {
      try {
        found.put(f.getKey(), f.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
    }
    return found;
  }

  private Map<String, Config> configs(Admin admin, Collection<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> described = admin.describeConfigs(resources).all()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, Config> byTopic = new LinkedHashMap<>();
    described.forEach((resource, config) -> byTopic.put(resource.name(), config));
    return byTopic;
  }

  private List<TopicResult> create(Admin admin, String bootstrap, List<TopicRequest> missing, int brokers,
      List<Change> changes) throws InterruptedException, TimeoutException {
    List<TopicResult> results = new ArrayList<>();
    List<NewTopic> creatable = new ArrayList<>();
    for (TopicRequest request : missing) {
      if (request.replicas() > brokers) {
        results.add(replicationTooHigh(request, brokers, bootstrap));
      } else {
        creatable.add(new NewTopic(request.name(), request.partitions(), (short) request.replicas())
            .configs(request.config()));
      }
    }
    if (creatable.isEmpty()) {
      return results;
    }
    Map<String, KafkaFuture<Void>> created = admin.createTopics(creatable).values();
    for (NewTopic topic : creatable) {
      TopicRequest request = missing.stream().filter(r -> r.name().equals(topic.name())).findFirst().orElseThrow();
      try {
        created.get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        changes.add(new Change("TopicCreated", "Created topic " + topic.name() + " on Kafka " + bootstrap + " ("
            + request.partitions() + " partitions, replication factor " + request.replicas() + ", " + request.config()
            + ")"));
        log.info("created topic {} on {} ({} partitions, replication {})", topic.name(), bootstrap,
            request.partitions(), request.replicas());
        results.add(ready(request, request.partitions(), request.replicas(), bootstrap));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          // Made by someone else meanwhile: the next reconcile describes and compares it.
          results.add(ready(request, request.partitions(), request.replicas(), bootstrap));
        } else {
          results.add(topicFailure(request, "create", e.getCause(), brokers, bootstrap));
        }
      }
    }
    return results;
  }

  private TopicResult update(Admin admin, String bootstrap, TopicRequest request, TopicDescription description,
      Config current, List<Change> changes) throws InterruptedException, TimeoutException {
    String name = request.name();
    int partitions = description.partitions().size();
    int replicas = description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
    try {
      if (request.partitions() > partitions) {
        admin.createPartitions(Map.of(name, NewPartitions.increaseTo(request.partitions()))).all()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        changes.add(new Change("TopicPartitionsRaised", "Raised the partitions of topic " + name + " from "
            + partitions + " to " + request.partitions() + " (posts with the same key may now go to another partition)"));
        log.info("raised partitions of topic {} on {} from {} to {}", name, bootstrap, partitions, request.partitions());
        partitions = request.partitions();
      }
      List<AlterConfigOp> ops = new ArrayList<>();
      List<String> altered = new ArrayList<>();
      for (Map.Entry<String, String> wanted : request.config().entrySet()) {
        ConfigEntry entry = current == null ? null : current.get(wanted.getKey());
        String actual = entry == null ? null : entry.value();
        if (!wanted.getValue().equals(actual)) {
          ops.add(new AlterConfigOp(new ConfigEntry(wanted.getKey(), wanted.getValue()), AlterConfigOp.OpType.SET));
          altered.add(wanted.getKey() + " " + actual + " -> " + wanted.getValue());
        }
      }
      if (!ops.isEmpty()) {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, name), ops)).all()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        changes.add(new Change("TopicConfigUpdated", "Updated topic " + name + ": " + String.join(", ", altered)));
        log.info("updated config of topic {} on {}: {}", name, bootstrap, altered);
      }
    } catch (ExecutionException e) {
      return topicFailure(request, "update", e.getCause(), 0, bootstrap);
    }
    if (request.partitions() < partitions) {
      return new TopicResult(name, false, TopicsOutcome.PARTITIONS_NOT_REDUCED, "Topic " + name + " has " + partitions
          + " partitions and the spec asks for " + request.partitions() + ": Kafka cannot remove partitions, so the "
          + "topic keeps " + partitions + ". Set spec.kafka.partitions to " + partitions + " or more, or delete the "
          + "topic with Kafka's tools to have it recreated (its data is lost).", partitions, replicas);
    }
    if (request.replicas() != replicas) {
      return new TopicResult(name, false, TopicsOutcome.REPLICAS_NOT_CHANGED, "Topic " + name + " has replication "
          + "factor " + replicas + " and the spec asks for " + request.replicas() + ": the operator sets it only when it "
          + "creates a topic (changing it means reassigning partitions with Kafka's tools). Set spec.kafka.replicas to "
          + replicas + " or reassign the partitions.", partitions, replicas);
    }
    return ready(request, partitions, replicas, bootstrap);
  }

  private static TopicResult ready(TopicRequest request, int partitions, int replicas, String bootstrap) {
    return new TopicResult(request.name(), true, TopicsOutcome.READY, "Topic " + request.name() + " exists on Kafka "
        + bootstrap + " with " + partitions + " partitions, replication factor " + replicas, partitions, replicas);
  }

  private static TopicResult replicationTooHigh(TopicRequest request, int brokers, String bootstrap) {
    return new TopicResult(request.name(), false, TopicsOutcome.REPLICATION_TOO_HIGH, "Cannot create topic "
        + request.name() + ": spec.kafka.replicas is " + request.replicas() + " but Kafka at " + bootstrap + " has "
        + brokers + " broker" + (brokers == 1 ? "" : "s") + ". Set spec.kafka.replicas to " + brokers
        + " or less (1 for a single-node Kafka).", 0, 0);
  }

  private static TopicResult topicFailure(TopicRequest request, String action, Throwable cause, int brokers,
      String bootstrap) {
    String name = request.name();
    if (cause instanceof InvalidReplicationFactorException) {
      return brokers > 0 ? replicationTooHigh(request, brokers, bootstrap)
          : new TopicResult(name, false, TopicsOutcome.REPLICATION_TOO_HIGH, "Kafka refused topic " + name + ": "
              + cause.getMessage(), 0, 0);
    }
    if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
      return new TopicResult(name, false, TopicsOutcome.NOT_AUTHORIZED, "Kafka at " + bootstrap + " does not allow "
          + "the operator to " + action + " topic " + name + ": " + cause.getMessage() + ". Grant the operator's "
          + "client Create, Alter, Describe and DescribeConfigs on the topic, or create it yourself.", 0, 0);
    }
    if (cause instanceof PolicyViolationException || cause instanceof InvalidConfigurationException
        || cause instanceof InvalidTopicException || cause instanceof InvalidPartitionsException) {
      return new TopicResult(name, false, TopicsOutcome.REJECTED, "Kafka rejected the " + action + " of topic " + name
          + ": " + cause.getMessage(), 0, 0);
    }
    return new TopicResult(name, false, TopicsOutcome.ERROR, "Could not " + action + " topic " + name + " on Kafka "
        + bootstrap + ": " + cause + "; retrying.", 0, 0);
  }

  private TopicsOutcome clusterFailure(String clientKey, KafkaConnection connection, Throwable cause) {
    String bootstrap = connection.bootstrapServers();
    if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
      closeAdmin(clientKey); // a fixed Secret gets a fresh client; a refused one must not keep retrying
      return TopicsOutcome.failed(bootstrap, TopicsOutcome.NOT_AUTHORIZED, "Kafka at " + bootstrap + " refused the "
          + "operator (" + connection.protocol() + "): " + cause.getMessage() + ". Check spec.kafka.security (protocol, "
          + "SASL user and password Secret, CA Secret) against the listener behind spec.kafka.bootstrapServers, and "
          + "grant the user Describe on the cluster and Create, Alter, Describe and DescribeConfigs on the topics.");
    }
    closeAdmin(clientKey); // do not keep a client retrying an address that does not answer
    if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return TopicsOutcome.failed(bootstrap, TopicsOutcome.UNREACHABLE, "Kafka at " + bootstrap + " did not answer "
          + "within " + timeout.toSeconds() + "s. Check spec.kafka.bootstrapServers and that the brokers' "
          + connection.protocol() + " listener is reachable from the operator's pod (a listener of another protocol "
          + "than spec.kafka.security.protocol also shows this way); the operator retries with backoff.");
    }
    return TopicsOutcome.failed(bootstrap, TopicsOutcome.ERROR, "Could not manage topics on Kafka at " + bootstrap
        + ": " + cause + "; retrying with backoff.");
  }

  /** Results in the order of the requests, so conditions name the same topic first every time. */
  private static List<TopicResult> order(List<TopicResult> results, List<TopicRequest> requests) {
    List<TopicResult> ordered = new ArrayList<>();
    for (TopicRequest request : requests) {
      results.stream().filter(r -> r.topic().equals(request.name())).findFirst().ifPresent(ordered::add);
    }
    return ordered;
  }

  private Admin admin(String clientKey, KafkaConnection connection) {
    Instant now = clock.instant();
    Entry entry = admins.compute(clientKey, (key, old) -> old == null
        ? new Entry(Admin.create(properties(connection)), now) : new Entry(old.admin(), now));
    return entry.admin();
  }

  private Properties properties(KafkaConnection connection) {
    String bootstrapServers = connection.bootstrapServers();
    Properties p = new Properties();
    p.putAll(connection.clientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-operator");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis()));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(millis()));
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(millis(), 5000)));
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, String.valueOf(millis()));
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10000");
    return p;
  }

  private int millis() {
    return (int) timeout.toMillis();
  }

  private void closeIdle() {
    Instant cutoff = clock.instant().minus(IDLE_CLOSE);
    admins.forEach((key, entry) -> {
      if (entry.lastUsed().isBefore(cutoff)) {
        closeAdmin(key);
      }
    });
  }

  private void closeAdmin(String bootstrapServers) {
    Entry entry = admins.remove(bootstrapServers);
    if (entry != null) {
      entry.admin().close(Duration.ofSeconds(1));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  @Override
  public void close() {
    closed = true;
    List.copyOf(admins.keySet()).forEach(this::closeAdmin);
  }
}
