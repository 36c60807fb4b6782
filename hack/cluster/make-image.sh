#!/usr/bin/env bash
# Packs a root file system directory as a single-layer image archive in `docker save` format, which
# `ctr -n k8s.io images import` (containerd 1.6) and Jib's tar:// base both read. No registry, no daemon.
#
#   make-image.sh NAME:TAG ROOTFS_DIR OUT.tar [--entrypoint /bin/x,arg] [--user 65532] [--env K=V]... [--workdir /]
#
# The layer is deterministic (sorted names, mtime 0, numeric root ownership), so the same root file system
# always gives the same image ID. Entry point arguments are comma-separated and must not contain quotes.
set -euo pipefail

die() { echo "make-image: $*" >&2; exit 1; }
[[ $# -ge 3 ]] || die "usage: make-image.sh NAME:TAG ROOTFS_DIR OUT.tar [--entrypoint a,b] [--user U] [--env K=V]... [--workdir D]"
NAME="$1" ROOTFS="$2" OUT="$3"; shift 3
[[ -d "$ROOTFS" ]] || die "$ROOTFS is not a directory"
[[ "$NAME" == *:* ]] || die "name '$NAME' needs a tag"
ENTRYPOINT="" USER_ID="" WORKDIR="/"
ENVS=("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --entrypoint) ENTRYPOINT="$2"; shift 2 ;;
    --user) USER_ID="$2"; shift 2 ;;
    --env) ENVS+=("$2"); shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done

json_list() { # comma-separated words -> JSON array of strings
  local IFS=, out="" w
  for w in $1; do [[ "$w" == *'"'* || "$w" == *\\* ]] && die "no quotes or backslashes in '$w'"; out+="${out:+,}\"$w\""; done
  echo "[$out]"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$ROOTFS" -cf "$WORK/layer.tar" .
LAYER_SHA="$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)"
mkdir "$WORK/$LAYER_SHA" && mv "$WORK/layer.tar" "$WORK/$LAYER_SHA/layer.tar"

ENV_JSON="$(IFS=,; json_list "${ENVS[*]}")"
CONFIG="{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\",\"config\":{"
[[ -n "$ENTRYPOINT" ]] && CONFIG+="\"Entrypoint\":$(json_list "$ENTRYPOINT"),"
[[ -n "$USER_ID" ]] && CONFIG+="\"User\":\"$USER_ID\","
CONFIG+="\"Env\":$ENV_JSON,\"WorkingDir\":\"$WORKDIR\"},"
CONFIG+="\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$LAYER_SHA\"]},"
CONFIG+="\"history\":[{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"pulse hack/cluster/make-image.sh\"}]}"
printf '%s' "$CONFIG" > "$WORK/config.json"
CONFIG_SHA="$(sha256sum "$WORK/config.json" | cut -d' ' -f1)"
mv "$WORK/config.json" "$WORK/$CONFIG_SHA.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$CONFIG_SHA" "$NAME" "$LAYER_SHA" > "$WORK/manifest.json"

mkdir -p "$(dirname "$OUT")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$WORK" -cf "$OUT.partial" manifest.json "$CONFIG_SHA.json" "$LAYER_SHA"
mv "$OUT.partial" "$OUT"
echo "make-image: $NAME -> $OUT ($(du -h "$OUT" | cut -f1))" >&2
