#!/usr/bin/env bash
# Builds every Pulse image as a docker-archive in target/images/ with no registry and no Docker: the JVM images
# with Jib (./mvnw -Pimages, on the Debian-built JRE base) and, with --trainer, the Python trainer image.
# This is the command the cluster scripts and the e2e suite run; hack/images/README.md explains each part.
#
#   hack/images/build-images.sh [--trainer] [--only MODULES] [MAVEN_ARGS...]
#     --trainer        also build pulse-trainer (CPU variant, ~6 GB; its venv is cached by lock hash)
#     --only MODULES   Maven modules to build images of (default: every deployable), e.g. --only operator
#
# Output: target/images/{pulse-operator,pulse-ingester,pulse-spark-job,pulse-llm-gateway,pulse-dashboard,
# pulse-kafka[,pulse-trainer]}.tar, each tagged ghcr.io/pulse-dev/<name>:<version in pom.xml>. Needs root (the base
# images are made with debootstrap and chroot).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
modules="operator,ingest,spark-job,llm-runtime,dashboard,images/kafka-broker"
trainer=0
maven_args=()
while (($#)); do
  case "$1" in
    --trainer) trainer=1; shift ;;
    --only) modules="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) maven_args+=("$1"); shift ;;
  esac
done

# Jib writes a global config under XDG_CONFIG_HOME and caches base layers under XDG_CACHE_HOME, and checks for
# updates; these are JVM system properties and environment, not pom settings: keep it all in Pulse's cache.
export XDG_CONFIG_HOME="$HOME/.cache/pulse/jib/config"
cd "$repo"
started=$SECONDS
./mvnw -B -Pimages -DskipTests -Djib.disableUpdateChecks=true -Djib.baseImageCache="$HOME/.cache/pulse/jib/base-cache" \
  verify -pl "$modules" -am "${maven_args[@]}"
echo "[build-images] JVM images in $((SECONDS - started)) s"
if ((trainer)); then
  hack/images/build-trainer-image.sh --out target/images/pulse-trainer.tar
fi
ls -l target/images/*.tar
