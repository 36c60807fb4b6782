#!/usr/bin/env bash
# Runs the pulse-llamacpp image (build-llamacpp-image.sh) once on the real single-node cluster (hack/cluster), in a
# pod shaped as the operator's LlamaCppEngine renders it (its args, uid 65532, read-only root, /tmp emptyDir), and
# asks it from the host, through the pod IP, for its models and one JSON-schema-constrained classification. Brings
# the cluster up and down and checks that the host is as before. Root; takes the cluster lock (COMMON rule).
#
#   hack/llm/run-llamacpp-on-cluster.sh [IMAGE.tar]   (default target/images/pulse-llamacpp.tar)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tar="${1:-$repo/target/images/pulse-llamacpp.tar}"
[[ -f "$tar" ]] || { echo "no image archive $tar: run hack/llm/build-llamacpp-image.sh first" >&2; exit 2; }
if [[ -z "${PULSE_CLUSTER_LOCKED:-}" ]]; then
  # The cluster lock (the same flock as flock -w 3600 /run/lock/pulse-cluster.lock CMD), held by this shell itself:
  # with a flock(1) parent, timeout's or Ctrl-C's signal kills that parent first and frees the lock while the trap
  # below is still tearing the cluster down. Only cluster.sh up starts long-lived processes: it gets no fd 9.
  exec 9>>/run/lock/pulse-cluster.lock
  flock -w 3600 9 || { echo "cluster lock not acquired" >&2; exit 2; }
fi
image="$(tar -xOf "$tar" manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["RepoTags"][0])')"
work="$(mktemp -d)"
cluster="$repo/hack/cluster/cluster.sh"
started=$SECONDS
say() { echo "[run-llamacpp-on-cluster +$((SECONDS - started))s] $*"; }
rc=1
finish() {
  "$cluster" down >"$work/down.log" 2>&1 && say "cluster down" || { say "ERROR: cluster down failed"; rc=1; }
  if "$repo/hack/cluster/check-clean.sh" compare "$work/host.snap" >/dev/null; then say "host as before"
  else say "ERROR: the host differs from before"; rc=1; fi
  rm -rf "$work"
  exit $rc
}
"$repo/hack/cluster/check-clean.sh" snapshot "$work/host.snap" >/dev/null
trap finish EXIT
kubeconfig="$("$cluster" up 2>"$work/up.log" 9>&- | tail -1)" || { say "ERROR: cluster up failed"; tail -20 "$work/up.log"; exit; }
say "cluster up"
"$cluster" load "$tar" >"$work/load.log" 2>&1 || { say "ERROR: loading $tar failed"; exit; }
say "loaded $image"
k() { kubectl --kubeconfig "$kubeconfig" "$@"; }
k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: llamacpp, namespace: default}
spec:
  containers:
  - name: llamacpp
    image: $image
    imagePullPolicy: Never
    args: ["--host", "0.0.0.0", "--port", "8000", "--threads", "2", "--base-name", "smollm2-135m-instruct"]
    env: [{name: HOME, value: /tmp}]
    ports: [{containerPort: 8000}]
    resources: {requests: {cpu: 500m, memory: 512Mi}, limits: {memory: 1Gi}}
    securityContext: {runAsNonRoot: true, runAsUser: 65532, readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    volumeMounts: [{name: tmp, mountPath: /tmp}]
  volumes: [{name: tmp, emptyDir: {}}]
YAML
k wait --for=condition=Ready pod/llamacpp --timeout=300s >/dev/null || { say "ERROR: pod not Ready"; k describe pod llamacpp | tail -20; exit; }
ip="$(k get pod llamacpp -o jsonpath='{.status.podIP}')"
say "pod Ready at $ip"
for _ in $(seq 1 120); do curl -sf "http://$ip:8000/v1/models" -o "$work/models.json" && break; sleep 2; done
say "models: $(head -c 300 "$work/models.json" 2>/dev/null)"
asked=$SECONDS
curl -s --max-time 120 "http://$ip:8000/v1/chat/completions" -H 'Content-Type: application/json' -o "$work/answer.json" -d '{
  "model": "smollm2-135m-instruct", "temperature": 0, "max_tokens": 60,
  "messages": [{"role": "system", "content": "Classify the sentiment of the post. Answer in JSON."},
               {"role": "user", "content": "My flight was cancelled and nobody at the desk would help. Worst airline ever."}],
  "response_format": {"type": "json_schema", "json_schema": {"name": "sentiment", "schema": {"type": "object",
    "properties": {"label": {"type": "string", "enum": ["negative", "neutral", "positive"]},
                   "confidence": {"type": "number", "minimum": 0, "maximum": 1}},
    "required": ["label", "confidence"]}}}}'
answer="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=json.loads(d["choices"][0]["message"]["content"]); assert c["label"] in ("negative","neutral","positive"); print(c)' "$work/answer.json" 2>&1)" \
  && { say "classified in $((SECONDS - asked)) s: $answer"; rc=0; } || say "ERROR: no valid answer: $answer"
