#!/usr/bin/env bash
# End-to-end check of a running local cluster (hack/cluster/cluster.sh up), with a tiny image made here:
# Debian's busybox-static in a single-layer image, run as uid 65532 with a read-only root file system.
#   - pod "web" serves a page (busybox httpd) behind the ClusterIP Service "web";
#   - pod "client" resolves kubernetes.default.svc.cluster.local through CoreDNS (must be 10.96.0.1), fetches
#     the page through the Service by its DNS name, connects to the API server through the `kubernetes`
#     Service, and checks that a name outside the cluster does NOT resolve (no forwarding). CoreDNS itself
#     watches the API through the `kubernetes` Service, so resolving the new web Service proves that too.
# Exits 0 only when every check passed; leaves nothing behind (namespace deleted, image kept in containerd).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"
NS=pulse-smoke
IMAGE=localhost/pulse/smoke-busybox:1
KC="$("$HERE/cluster.sh" kubeconfig)"
kubectl() { "$NODE_DIR/kubectl" --kubeconfig "$KC" "$@"; }
log() { echo "[smoke] $(date +%H:%M:%S) $*" >&2; }
fail() { echo "[smoke] FAILED: $*" >&2; kubectl -n "$NS" get pods,svc,endpointslices -o wide >&2 || true; kubectl -n "$NS" describe pods >&2 || true; exit 1; }

if [[ ! -x /bin/busybox ]]; then
  log "installing busybox-static with apt"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=120s >/dev/null 2>&1 || true' EXIT
mkdir -p "$WORK/root/bin"
cp /bin/busybox "$WORK/root/bin/busybox"
for a in sh nslookup wget httpd cat echo grep sleep awk timeout nc; do ln -s busybox "$WORK/root/bin/$a"; done
"$HERE/make-image.sh" "$IMAGE" "$WORK/root" "$WORK/smoke.tar" --user 65532:65532 2>/dev/null
"$HERE/cluster.sh" load "$WORK/smoke.tar" >/dev/null 2>&1 || fail "could not load the image"

kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=120s >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $NS}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: www, namespace: $NS}
data: {index.html: "pulse-smoke-ok"}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: $NS, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 1
  securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: httpd
    image: $IMAGE
    imagePullPolicy: IfNotPresent
    command: ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
    ports: [{containerPort: 8080}]
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
    securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    volumeMounts: [{name: www, mountPath: /www}]
  volumes: [{name: www, configMap: {name: www}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: $NS}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
YAML
log "waiting for the web pod"
kubectl -n "$NS" wait --for=condition=Ready pod/web --timeout=180s >/dev/null || fail "web pod not Ready"

kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: $NS}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: client
    image: $IMAGE
    imagePullPolicy: IfNotPresent
    securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    command:
    - /bin/sh
    - -c
    - |
      set -e
      echo "== nslookup kubernetes.default.svc.cluster.local"
      nslookup kubernetes.default.svc.cluster.local
      nslookup kubernetes.default.svc.cluster.local | grep -q 'Address: *10.96.0.1\$' && echo "CHECK dns-kubernetes ok"
      # busybox is static glibc: its wget cannot resolve names (no NSS modules in the image), so the
      # name is resolved with nslookup (through CoreDNS) and wget is given the address it returned.
      # (Debian's busybox 1.35 wget crashes with -T: timeouts come from the timeout applet.)
      resolve() { nslookup "\$1" | awk '/^Name:/ {n = 1} n && /^Address/ {print \$2; exit}'; }
      echo "== web through its Service"
      web="\$(resolve web.$NS.svc.cluster.local)"
      echo "web.$NS.svc.cluster.local is \$web"
      for i in 1 2 3 4 5; do out="\$(timeout 10 wget -q -O- "http://\$web/" 2>&1)" && break; sleep 1; done
      echo "\$out"
      [ "\$out" = pulse-smoke-ok ] && echo "CHECK service-web ok"
      echo "== API server through the kubernetes Service"
      # A TCP connection to the Service's address reaches the API server (kube-proxy's DNAT to the node
      # address). Busybox's own TLS cannot complete a handshake with Go's TLS server, so the HTTPS side
      # is proven by CoreDNS: its in-cluster client reaches the API through this same Service, and it
      # resolved the web Service created after it started (check service-web).
      api="\$(resolve kubernetes.default.svc.cluster.local)"
      timeout 10 nc -w 5 "\$api" 443 </dev/null && echo "CHECK apiserver-via-service ok"
      echo "== a name outside the cluster must not resolve"
      if nslookup example.com >/dev/null 2>&1; then echo "example.com resolved: forwarding is on"; else echo "CHECK no-forwarding ok"; fi
YAML
log "waiting for the client pod to finish"
for _ in $(seq 1 120); do
  phase="$(kubectl -n "$NS" get pod client -o 'jsonpath={.status.phase}')"
  [[ "$phase" == Succeeded || "$phase" == Failed ]] && break
  sleep 1
done
out="$(kubectl -n "$NS" logs client)"
echo "$out" | sed 's/^/[smoke] client: /' >&2
ok=1
for c in dns-kubernetes service-web apiserver-via-service no-forwarding; do
  if grep -qx "CHECK $c ok" <<<"$out"; then log "$c: passed"; else log "$c: FAILED"; ok=0; fi
done
[[ "$phase" == Succeeded && $ok == 1 ]] || fail "client pod phase $phase"
log "all checks passed"
