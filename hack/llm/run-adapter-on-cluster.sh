#!/usr/bin/env bash
# End to end on the real single-node cluster (hack/cluster), as a user would do it: a ModelAdapter trains a LoRA of
# SmolLM2-135M-Instruct on CPU as a Job (pulse-trainer image), and a SentimentPipeline with spec.llm.engine: llamacpp
# then serves that adapter with llama.cpp (pulse-llamacpp image) behind the LLM gateway. Checks from the host:
#   1. the ModelAdapter reaches phase Succeeded (on failure: the Job's logs and kubectl describe);
#   2. the pipeline's LLM condition is Serving that adapter and status.servedAdapter names it;
#   3. the llama.cpp server lists the adapter in /v1/models and answers one JSON-schema-constrained classification
#      under the adapter's name (the trainer's prompt format, the gateway's schema);
#   4. the gateway's POST /v1/classify (bearer token from the Secret the operator made) answers with source LLM.
# Prints timings and exits 0 only when all of that held. Root; takes the cluster lock (COMMON rule); brings the
# cluster up and down and checks that the host is as before (also on failure, Ctrl-C or SIGTERM: e.g. under
# timeout -s INT, which returns only after the teardown, with the lock held until then).
#
#   hack/llm/run-adapter-on-cluster.sh
#
# Images come from target/images/ (pulse-operator, pulse-llm-gateway, pulse-kafka, pulse-trainer, pulse-llamacpp);
# a missing one is built first, before the lock: hack/images/build-images.sh [--trainer],
# hack/llm/build-llamacpp-image.sh. The base model is the GGUF hack/llm/ensure-model.sh caches; the dataset is 24
# posts (8 per label, seed 42) of /work/shared/data/tweet-sentiment-train's SemEval 2016 train file (never
# TweetEval test), or PULSE_ADAPTER_TSV. The Spark job's image is not loaded: the Spark part of the pipeline cannot
# start, which does not concern the LLM part checked here.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
images_dir="$repo/target/images"
tsv="${PULSE_ADAPTER_TSV:-/work/shared/data/tweet-sentiment-train/twitter-2016train-A.tsv}"
say() { echo "[run-adapter-on-cluster +$((SECONDS - ${started:-0}))s] $*"; }

# Images first, outside the lock: building them does not need the cluster.
if [[ -z "${PULSE_CLUSTER_LOCKED:-}" ]]; then
  built=$SECONDS
  for name in operator llm-gateway kafka; do
    [[ -f "$images_dir/pulse-$name.tar" ]] || { "$repo/hack/images/build-images.sh" || exit 2; break; }
  done
  [[ -f "$images_dir/pulse-trainer.tar" ]] || "$repo/hack/images/build-trainer-image.sh" || exit 2
  [[ -f "$images_dir/pulse-llamacpp.tar" ]] || "$here/build-llamacpp-image.sh" || exit 2
  echo "[run-adapter-on-cluster] images ready in $((SECONDS - built)) s (0 when all were built before)"
  [[ -f "$tsv" ]] || { echo "no dataset $tsv" >&2; exit 2; }
  # The cluster lock (the same flock as flock -w 3600 /run/lock/pulse-cluster.lock CMD), held by this shell itself:
  # with a flock(1) parent, timeout's or Ctrl-C's signal kills that parent first and frees the lock while the trap
  # below is still tearing the cluster down. Only cluster.sh up starts long-lived processes: it gets no fd 9.
  exec 9>>/run/lock/pulse-cluster.lock
  echo "[run-adapter-on-cluster] waiting for the cluster lock (at most 3600 s)"
  flock -w 3600 9 || { echo "[run-adapter-on-cluster] cluster lock not acquired" >&2; exit 2; }
fi

started=$SECONDS
NS=pulse-adapter-demo
ADAPTER=tweets-smollm2
PIPELINE=adapter-demo
BASE=HuggingFaceTB/SmolLM2-135M-Instruct
GGUF_NAME=SmolLM2-135M-Instruct.Q4_1.gguf
work="$(mktemp -d)"
cluster="$repo/hack/cluster/cluster.sh"
source "$repo/hack/cluster/versions.sh"
kubectl_bin="$NODE_DIR/kubectl"; [[ -x "$kubectl_bin" ]] || kubectl_bin=kubectl
rc=1
timings=()
mark() { timings+=("$1: $2"); say "$1: $2"; }
finish() {
  trap - EXIT INT TERM
  if ((rc != 0)) && [[ -n "${kubeconfig:-}" ]]; then
    say "state at failure:"
    k get pods,jobs,deploy,pvc -n "$NS" -o wide 2>&1 | head -40
    k get modeladapter,sentimentpipeline -n "$NS" -o yaml 2>&1 | grep -A40 '^  status:' | head -80
    k get events -n "$NS" --sort-by=.lastTimestamp 2>&1 | tail -25
  fi
  "$cluster" down >"$work/down.log" 2>&1 && say "cluster down" || { say "ERROR: cluster down failed"; tail -5 "$work/down.log"; rc=1; }
  if "$repo/hack/cluster/check-clean.sh" compare "$work/host.snap" >"$work/compare.log" 2>&1; then say "host as before"
  else say "ERROR: the host differs from before"; head -30 "$work/compare.log"; rc=1; fi
  if ((${#timings[@]})); then echo "[run-adapter-on-cluster] timings:"; printf '  %s\n' "${timings[@]}"; fi
  rm -rf "$work"
  say "$( ((rc == 0)) && echo PASSED || echo FAILED) (exit $rc)"
  exit $rc
}
"$repo/hack/cluster/check-clean.sh" snapshot "$work/host.snap" >/dev/null
trap finish EXIT
trap 'say "interrupted"; rc=130; exit 130' INT
trap 'say "terminated"; rc=143; exit 143' TERM
fail() { say "ERROR: $*"; exit 1; }

kubeconfig="$("$cluster" up 2>"$work/up.log" 9>&- | tail -1)" || { kubeconfig=""; tail -20 "$work/up.log"; fail "cluster up failed"; }
mark "cluster up" "$((SECONDS - started)) s"
k() { "$kubectl_bin" --kubeconfig "$kubeconfig" --request-timeout=30s "$@"; }
# Polls CHECK (a shell command) every 3 s for at most SECONDS; short commands only, so a signal is handled at once.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until eval "$1" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 3; done
}
jp() { k get "$1" -n "$NS" -o "jsonpath=$2" 2>/dev/null; }

for name in operator llm-gateway kafka trainer llamacpp; do
  loaded=$SECONDS
  "$cluster" load "$images_dir/pulse-$name.tar" >"$work/load-$name.log" 2>&1 || { tail -5 "$work/load-$name.log"; fail "loading pulse-$name failed"; }
  mark "load pulse-$name ($(du -m "$images_dir/pulse-$name.tar" | cut -f1) MB)" "$((SECONDS - loaded)) s"
done
image_of() { tar -xOf "$images_dir/pulse-$1.tar" manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["RepoTags"][0])'; }
llamacpp_image="$(image_of llamacpp)"
kafka_image="$(image_of kafka)"

# The operator, installed with the chart as its README says (the e2e suite's Helm.install): its defaults name the
# images this build made.
helm_bin="$("$repo/hack/build-helm.sh")" || fail "no helm"
step=$SECONDS
KUBECONFIG="$kubeconfig" HELM_CACHE_HOME="$work/helm/cache" HELM_CONFIG_HOME="$work/helm/config" \
  HELM_DATA_HOME="$work/helm/data" "$helm_bin" install pulse "$repo/charts/pulse-operator" -n pulse-system \
  --create-namespace --wait=false >"$work/helm.log" 2>&1 || { cat "$work/helm.log"; fail "helm install failed"; }
wait_for 300 '[[ "$(k get deploy pulse -n pulse-system -o jsonpath={.status.readyReplicas})" -ge 1 ]]' \
  || { k describe pod -n pulse-system | tail -30; fail "operator not ready"; }
mark "operator ready (helm install to ready replica)" "$((SECONDS - step)) s"

# The base model on a PVC (the cluster's default StorageClass: hostPath volumes), uploaded from the host's cache with
# kubectl cp through a pod that mounts it, as a user would put weights on a volume; and the adapters' claim.
k create namespace "$NS" >/dev/null || fail "namespace"
k apply -f - >/dev/null <<YAML || fail "PVCs"
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pulse-models, namespace: $NS}
spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pulse-adapters, namespace: $NS}
spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: model-upload, namespace: $NS}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
  - name: upload
    image: $llamacpp_image
    imagePullPolicy: Never
    command: ["sleep", "3600"]
    resources: {requests: {cpu: 10m, memory: 32Mi}}
    securityContext: {runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    volumeMounts: [{name: weights, mountPath: /weights}]
  volumes: [{name: weights, persistentVolumeClaim: {claimName: pulse-models}}]
YAML
model_file="$("$here/ensure-model.sh")" || fail "no model file"
step=$SECONDS
wait_for 120 '[[ "$(jp pod/model-upload {.status.phase})" == Running ]]' || fail "upload pod not running"
k exec -n "$NS" model-upload -- mkdir -p /weights/smollm2 || fail "mkdir on the weights volume"
k cp "$model_file" "$NS/model-upload:/weights/smollm2/$GGUF_NAME" >"$work/cp.log" 2>&1 || { cat "$work/cp.log"; fail "kubectl cp"; }
want="$(sha256sum "$model_file" | cut -c1-64)"
got="$(k exec -n "$NS" model-upload -- sha256sum "/weights/smollm2/$GGUF_NAME" | cut -c1-64)"
[[ "$got" == "$want" ]] || fail "the model on the volume has sha256 $got, not $want"
k delete pod model-upload -n "$NS" --wait=false >/dev/null
mark "base model on PVC pulse-models ($(du -m "$model_file" | cut -f1) MB, kubectl cp, sha256 ${want:0:12} checked)" "$((SECONDS - step)) s"

# 24 labelled posts, 8 per label, seeded, from SemEval 2016 train (TweetEval's train split, never its test).
python3 - "$tsv" >"$work/train.jsonl" <<'PY' || fail "dataset"
import json, random, sys
rows = {"negative": [], "neutral": [], "positive": []}
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    f = line.rstrip("\n").split("\t")
    if len(f) >= 3 and f[1] in rows and f[2].strip():
        rows[f[1]].append({"id": f"{f[0]}", "text": f[2].strip().strip('"'), "label": f[1]})
rng = random.Random(42)
for label in rows:
    for r in rng.sample(rows[label], 8):
        print(json.dumps(r, ensure_ascii=False))
PY
k create configmap adapter-demo-posts -n "$NS" --from-file=train.jsonl="$work/train.jsonl" >/dev/null || fail "ConfigMap"
say "dataset: $(wc -l <"$work/train.jsonl") posts from $(basename "$tsv") in ConfigMap adapter-demo-posts"

# The ModelAdapter: plain LoRA on CPU (gpus 0), r 8 on v/o (llama.cpp's adapter format takes no q/k for a GGUF
# base), 18 training posts, 2x2 per step, one epoch (5 steps); the eval split is 6 posts. 1500m: of the node's 2
# cores the chart's two operator replicas and CoreDNS request 250m (1800m stayed Pending: Insufficient cpu).
k wait --for=delete pod/model-upload -n "$NS" --timeout=60s >/dev/null 2>&1
step=$SECONDS
k apply -f - >/dev/null <<YAML || fail "ModelAdapter"
apiVersion: pulse.dev/v1alpha1
kind: ModelAdapter
metadata: {name: $ADAPTER, namespace: $NS}
spec:
  baseModel:
    name: $BASE
    quantization: none
    weightsPvc: {claimName: pulse-models, path: /smollm2/$GGUF_NAME}
  dataset:
    configMap: {name: adapter-demo-posts, key: train.jsonl}
    evalFraction: 0.25
  lora: {r: 8, alpha: 16, dropout: 0.05, targetModules: [v_proj, o_proj], epochs: 1, learningRate: 0.001,
         maxLength: 320, batchSize: 2, gradientAccumulation: 2}
  resources: {gpus: 0, cpu: 1500m, memory: 4Gi}
  output:
    pvc: {claimName: pulse-adapters, path: /adapters}
  backoffLimit: 0
  activeDeadline: 40m
YAML
job_logs() {
  local pod; pod="$(k get pods -n "$NS" -l app.kubernetes.io/component=trainer -o name 2>/dev/null | head -1)"
  [[ -n "$pod" ]] && k logs -n "$NS" "$pod" --all-containers 2>&1 | tail -${1:-60}
}
training_failed() {
  say "ERROR: ModelAdapter $ADAPTER: phase $(jp modeladapter/$ADAPTER {.status.phase})"
  job_logs 80
  k describe modeladapter "$ADAPTER" -n "$NS" | tail -40
  k describe jobs -n "$NS" | tail -30
  k describe pods -n "$NS" -l app.kubernetes.io/component=trainer | tail -40
  exit 1
}
wait_for 2700 '[[ "$(jp modeladapter/$ADAPTER {.status.phase})" =~ ^(Succeeded|Failed)$ ]]' || training_failed
[[ "$(jp modeladapter/$ADAPTER {.status.phase})" == Succeeded ]] || training_failed
mark "ModelAdapter applied to Succeeded" "$((SECONDS - step)) s"
job="$(k get jobs -n "$NS" -o name | head -1)"
job_times="$(k get "$job" -n "$NS" -o 'jsonpath={.status.startTime} {.status.completionTime}')"
mark "training Job start to completion" "$(python3 -c 'import sys,datetime as d; a,b=[d.datetime.fromisoformat(x.replace("Z","+00:00")) for x in sys.argv[1:3]]; print(int((b-a).total_seconds()), "s")' $job_times)"
job_logs 200 >"$work/train.log"
grep -E 'runtime:|step [0-9]+/' "$work/train.log" | sed 's/^/    /' | tail -12
mark "training steps" "$(grep -oE 'step [0-9]+/[0-9]+' "$work/train.log" | tail -1), s/step $(grep -oE '[0-9.]+ s/step' "$work/train.log" | cut -d' ' -f1 | sort -n | sed -n '1p;$p' | paste -sd- -)"
mark "trainer metrics" "$(jp modeladapter/$ADAPTER '{.status.metrics}')"
say "adapter path: $(jp modeladapter/$ADAPTER {.status.adapterPath}); conditions: $(jp modeladapter/$ADAPTER '{range .status.conditions[*]}{.type}={.status}/{.reason} {end}')"

# A plain Kafka (the minimal samples' pulse-kafka:9092, as e2e's KafkaOnCluster), then the pipeline.
k apply -f - >/dev/null <<YAML || fail "Kafka"
apiVersion: apps/v1
kind: Deployment
metadata: {name: pulse-kafka, namespace: $NS, labels: {app.kubernetes.io/name: pulse-kafka}}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app.kubernetes.io/name: pulse-kafka}}
  template:
    metadata: {labels: {app.kubernetes.io/name: pulse-kafka}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532}
      containers:
      - name: kafka
        image: $kafka_image
        imagePullPolicy: IfNotPresent
        env:
        - {name: KAFKA_ADVERTISED_HOST, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
        - {name: KAFKA_DATA_DIR, value: /var/lib/kafka/data}
        ports: [{name: kafka, containerPort: 9092}]
        readinessProbe: {tcpSocket: {port: 9092}, periodSeconds: 2}
        resources: {requests: {cpu: 250m}, limits: {memory: 1Gi}}
        securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        volumeMounts: [{name: data, mountPath: /var/lib/kafka}, {name: tmp, mountPath: /tmp}]
      volumes: [{name: data, emptyDir: {}}, {name: tmp, emptyDir: {}}]
---
apiVersion: v1
kind: Service
metadata: {name: pulse-kafka, namespace: $NS}
spec:
  selector: {app.kubernetes.io/name: pulse-kafka}
  ports: [{name: kafka, port: 9092, targetPort: 9092}]
YAML
wait_for 300 '[[ "$(k get deploy pulse-kafka -n $NS -o jsonpath={.status.readyReplicas})" -ge 1 ]]' || fail "Kafka not ready"

# The pipeline: llama.cpp on CPU serving the adapter (900m, one thread: of the node's 2 cores the gateway requests
# 500m, Kafka 250m, the chart's two operator replicas and CoreDNS 250m), no dashboard; a vector store is required with
# the LLM on, none runs here (the gateway then prompts without retrieved context, as documented).
step=$SECONDS
k apply -f - >/dev/null <<YAML || fail "SentimentPipeline"
apiVersion: pulse.dev/v1alpha1
kind: SentimentPipeline
metadata: {name: $PIPELINE, namespace: $NS}
spec:
  feeds: {names: [adapter-demo-feed]}
  kafka: {bootstrapServers: "pulse-kafka:9092", partitions: 1, replicas: 1, retention: 24h}
  spark:
    triggerMode: MicroBatch
    triggerInterval: 250ms
    driver: {cores: 1, coreRequest: 50m, memory: 1g}
    executor: {instances: 1, cores: 1, coreRequest: 50m, memory: 1g}
  llm:
    enabled: true
    engine: llamacpp
    baseModel: $BASE
    modelAdapterRef: $ADAPTER
    maxCallsPerMinute: 60
    timeout: 60s
    resources: {gpus: 0, cpu: 900m, memory: 1Gi}
  vectorStore: {host: qdrant, collection: adapter_demo_posts, vectorSize: 384}
  dashboard: {enabled: false}
YAML
serving_cond() { jp sentimentpipeline/$PIPELINE '{.status.conditions[?(@.type=="LLM")].status}/{.status.conditions[?(@.type=="LLM")].reason}'; }
if ! wait_for 900 '[[ "$(serving_cond)" == True/Serving && "$(jp sentimentpipeline/$PIPELINE {.status.servedAdapter})" == "$ADAPTER" ]]'; then
  say "ERROR: LLM condition $(serving_cond): $(jp sentimentpipeline/$PIPELINE '{.status.conditions[?(@.type=="LLM")].message}')"
  k describe deploy -n "$NS" | tail -40
  for d in "$PIPELINE-vllm" "$PIPELINE-llm-gateway"; do
    k logs -n "$NS" "deploy/$d" --tail=30 2>&1 | sed "s/^/  $d: /"
  done
  exit 1
fi
mark "SentimentPipeline applied to LLM Serving the adapter" "$((SECONDS - step)) s"
say "LLM condition: $(jp sentimentpipeline/$PIPELINE '{.status.conditions[?(@.type=="LLM")].message}')"
say "status.servedAdapter: $(jp sentimentpipeline/$PIPELINE {.status.servedAdapter})"
llama_pod="$(k get pods -n "$NS" -o name | grep "/$PIPELINE-vllm-" | head -1)"
say "llama.cpp args: $(k get "$llama_pod" -n "$NS" -o 'jsonpath={.spec.containers[0].args}')"
mark "llama.cpp pod created to Ready" "$(k get "$llama_pod" -n "$NS" -o json | python3 -c '
import json, sys, datetime as d
p = json.load(sys.stdin); t = lambda s: d.datetime.fromisoformat(s.replace("Z", "+00:00"))
ready = [c["lastTransitionTime"] for c in p["status"]["conditions"] if c["type"] == "Ready"][0]
print(int((t(ready) - t(p["metadata"]["creationTimestamp"])).total_seconds()), "s")')"

# From the host, through the pod IPs (the node is this machine).
ip="$(k get "$llama_pod" -n "$NS" -o jsonpath='{.status.podIP}')"
curl -sf --max-time 30 "http://$ip:8000/v1/models" -o "$work/models.json" || fail "no /v1/models from $ip"
say "/v1/models: $(python3 -c 'import json,sys; print([m["id"] for m in json.load(open(sys.argv[1]))["data"]])' "$work/models.json")"
python3 -c 'import json,sys; assert sys.argv[2] in [m["id"] for m in json.load(open(sys.argv[1]))["data"]]' "$work/models.json" "$ADAPTER" \
  || fail "$ADAPTER is not among the served models"
# The gateway's request, as the trainer's prompt format renders it (system prompt, fenced post) and with the
# gateway's classification schema.
python3 - "$repo/llm-runtime/trainer" "$ADAPTER" >"$work/request.json" <<'PY' || fail "request"
import json, sys
sys.path.insert(0, sys.argv[1])
from pulse_trainer.prompt_format import SYSTEM_PROMPT, USER_INSTRUCTION, sanitize_post
post = "My flight was cancelled and nobody at the desk would help. Worst airline ever."
schema = {"type": "object", "additionalProperties": False, "required": ["label", "score", "rationale", "crisis"],
          "properties": {"label": {"type": "string", "enum": ["negative", "neutral", "positive"]},
                         "score": {"type": "number", "minimum": 0, "maximum": 1},
                         "rationale": {"type": "string", "maxLength": 200}, "crisis": {"type": "boolean"}}}
print(json.dumps({"model": sys.argv[2], "temperature": 0, "max_tokens": 200,
    "messages": [{"role": "system", "content": SYSTEM_PROMPT},
                 {"role": "user", "content": USER_INSTRUCTION + "\n\n<<<POST\n" + sanitize_post(post) + "\nPOST>>>"}],
    "response_format": {"type": "json_schema", "json_schema": {"name": "pulse_classification", "schema": schema}}}))
PY
asked=$(date +%s%N)
curl -s --max-time 300 "http://$ip:8000/v1/chat/completions" -H 'Content-Type: application/json' \
  -d @"$work/request.json" -o "$work/answer.json"
latency_ms=$((($(date +%s%N) - asked) / 1000000))
answer="$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); c = json.loads(d["choices"][0]["message"]["content"])
assert d["model"] == sys.argv[2], d["model"]
assert c["label"] in ("negative", "neutral", "positive") and 0 <= c["score"] <= 1, c
print(json.dumps(c), "| usage", d.get("usage"))' "$work/answer.json" "$ADAPTER" 2>&1)" \
  || fail "no valid answer from the adapter: $answer $(head -c 400 "$work/answer.json")"
say "llama.cpp, model $ADAPTER: $answer"
mark "one constrained classification under the adapter (llama.cpp, 1 thread)" "$latency_ms ms"

# The gateway's classify endpoint, with the token from the Secret the operator made.
token="$(k get secret "$PIPELINE-gateway-token" -n "$NS" -o jsonpath='{.data.token}' | base64 -d)"
[[ -n "$token" ]] || fail "no gateway token Secret $PIPELINE-gateway-token"
gw_ip="$(k get pods -n "$NS" -o wide | awk -v p="$PIPELINE-llm-gateway-" '$1 ~ "^"p && $3 == "Running" {print $6; exit}')"
[[ -n "$gw_ip" ]] || fail "no running gateway pod"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "http://$gw_ip:8090/v1/classify" -H 'Content-Type: application/json' \
  -d '{"pipeline":"x","posts":[{"id":"a","text":"hi"}]}')"
[[ "$code" == 401 ]] || fail "the gateway answered $code without its token, not 401"
asked=$(date +%s%N)
curl -s --max-time 120 "http://$gw_ip:8090/v1/classify" -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -o "$work/classify.json" -d '{"pipeline": "'"$PIPELINE"'", "posts": [
    {"id": "e2e-1", "text": "Lost my bag again and the app keeps crashing when I try to report it", "lightLabel": "neutral", "lightScore": 0.0}]}'
latency_ms=$((($(date +%s%N) - asked) / 1000000))
result="$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); r = d["results"][0]
assert d["model"] == sys.argv[2], ("model", d["model"])
assert r["source"] == "LLM", r
print(json.dumps(r))' "$work/classify.json" "$ADAPTER" 2>&1)" \
  || fail "gateway classify: $result $(head -c 600 "$work/classify.json")"
say "gateway /v1/classify (model $ADAPTER): $result"
mark "gateway /v1/classify, 1 post, through the gateway to llama.cpp" "$latency_ms ms"
rc=0
