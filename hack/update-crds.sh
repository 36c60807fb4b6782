#!/usr/bin/env bash
# Regenerates the CRD YAML from the Java types in crds/ and copies it where the Helm chart installs it from.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -q -B -pl crds process-classes
mkdir -p charts/pulse-operator/crds
for plural in sourcefeeds modeladapters sentimentpipelines; do
  cp "crds/target/classes/META-INF/fabric8/${plural}.pulse.dev-v1.yml" "charts/pulse-operator/crds/${plural}.pulse.dev.yaml"
done
echo "updated charts/pulse-operator/crds/"
