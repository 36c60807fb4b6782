#!/usr/bin/env bash
# Tests check-image-classpath.sh on small fake image archives (docker-archive layout, gzipped layers, as Jib writes):
# a clean image passes, a test jar or a training class fails the check, the allowed image may hold the broker, a
# known violation only warns, and a stale known line is reported. Needs python3; no root, no images.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# fake_image NAME FILE... : a docker-archive whose one layer holds the given paths (app/libs/x.jar, app/classes/...).
fake_image() {
  local name="$1"; shift
  local root="$work/root-$name" f
  mkdir -p "$root"
  for f in "$@"; do
    mkdir -p "$root/$(dirname "$f")"
    if [[ "$f" == app/libs/pulse-*.jar ]]; then
      # A Pulse jar with a training class inside: the check looks into Pulse's own jars.
      python3 - "$root/$f" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("dev/pulse/scoring/training/SoftmaxTrainer.class", b"\xca\xfe\xba\xbe")
    z.writestr("dev/pulse/scoring/Sentiment.class", b"\xca\xfe\xba\xbe")
PY
    else
      : >"$root/$f"
    fi
  done
  tar -C "$root" -czf "$work/layer.tar.gz" .
  printf '[{"Config":"config.json","RepoTags":["x/%s:1"],"Layers":["layer.tar.gz"]}]' "$name" >"$work/manifest.json"
  echo '{}' >"$work/config.json"
  tar -C "$work" -cf "$work/$name.tar" manifest.json config.json layer.tar.gz
}

expect() {
  local want="$1" what="$2"; shift 2
  local rc=0
  "$@" >"$work/out.txt" 2>&1 || rc=$?
  if [[ "$rc" != "$want" ]]; then
    echo "FAIL: $what: exit $rc, wanted $want"; sed 's/^/    /' "$work/out.txt"; failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}

fake_image clean app/libs/kafka-clients-4.1.1.jar app/classes/dev/pulse/ingest/IngestLoop.class
fake_image testkit app/libs/kafka-clients-4.1.1.jar app/libs/kafka-test-common-runtime-4.1.1.jar
fake_image training app/classes/dev/pulse/scoring/learned/SoftmaxTrainer.class
fake_image injar app/libs/pulse-scoring-9.jar
fake_image pulse-kafka app/libs/kafka_2.13-4.1.1.jar
fake_image broker app/libs/kafka_2.13-4.1.1.jar
: >"$work/known-empty.txt"
printf 'testkit jar ^kafka-test-common-\nclean jar ^junit-\n' >"$work/known.txt"

export PULSE_IMAGE_DENY_KNOWN="$work/known-empty.txt"
expect 0 "a clean image passes" "$here/check-image-classpath.sh" "$work" clean
expect 1 "Kafka's test kit fails" "$here/check-image-classpath.sh" "$work" testkit
expect 1 "a training class fails" "$here/check-image-classpath.sh" "$work" training
expect 1 "a training class inside a Pulse jar fails" "$here/check-image-classpath.sh" "$work" injar
expect 0 "the broker image may hold the broker" "$here/check-image-classpath.sh" "$work" pulse-kafka
expect 1 "another image may not" "$here/check-image-classpath.sh" "$work" broker
expect 0 "an image without an archive is skipped" "$here/check-image-classpath.sh" "$work" no-such-image
export PULSE_IMAGE_DENY_KNOWN="$work/known.txt"
expect 0 "a known violation only warns" "$here/check-image-classpath.sh" "$work" testkit
grep -q "KNOWN" "$work/out.txt" || { echo "FAIL: no KNOWN line"; failures=$((failures + 1)); }
expect 0 "a stale known line is reported" "$here/check-image-classpath.sh" "$work" clean
grep -q "STALE" "$work/out.txt" || { echo "FAIL: no STALE line"; failures=$((failures + 1)); }

if ((failures)); then
  echo "test-check-image-classpath: $failures failure(s)"
  exit 1
fi
echo "test-check-image-classpath: all passed"
