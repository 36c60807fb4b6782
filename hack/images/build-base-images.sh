#!/usr/bin/env bash
# Builds Pulse's base images from Debian packages, with no registry: a minimal JRE (the JVM images' base,
# used by Jib as a tar:// base) and a slim Python (the trainer's base). Each is a docker-archive tar (the
# format Jib accepts as a tar:// base; an OCI archive fails with NoSuchFileException .../manifest.json).
#
#   hack/images/build-base-images.sh [--force] [jre|python|all]      (default: all)
#
# Output, outside the repo and keyed by version (package list + suite + this script's hash):
#   ${PULSE_IMAGE_CACHE:-~/.cache/pulse/images}/pulse-<name>-base-<key>.tar
#   ${PULSE_IMAGE_CACHE:-~/.cache/pulse/images}/pulse-<name>-base.tar  -> the current key's tar (what Maven reads)
# A second run with the same key does nothing (prints the path). Progress goes to stderr; the tar paths to stdout.
# Needs root (debootstrap, chroot); installs debootstrap, skopeo and umoci with apt when they are missing.
set -euo pipefail

SUITE=bookworm
MIRROR="${PULSE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${PULSE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# The non-root user every Pulse image runs as. Numeric, because the kubelet refuses a non-numeric image user
# when the pod asks for runAsNonRoot ("image has non-numeric user").
UID_GID=65532
CACHE="${PULSE_IMAGE_CACHE:-$HOME/.cache/pulse/images}"
SCRIPT="$(readlink -f "${BASH_SOURCE[0]}")"

# name -> Debian packages (installed with --no-install-recommends on top of minbase)
packages_of() {
  case "$1" in
    jre) echo "openjdk-17-jre-headless ca-certificates" ;;
    # python3-venv: the trainer image's venv is made with this interpreter (ensurepip's bundled wheels).
    python) echo "python3 python3-venv ca-certificates" ;;
    *) echo "unknown base image '$1' (jre | python)" >&2; return 1 ;;
  esac
}

log() { echo "[build-base-images] $*" >&2; }

key_of() {
  { echo "$SUITE $MIRROR $SECURITY_MIRROR $UID_GID"; packages_of "$1"; cat "$SCRIPT"; } | sha256sum | cut -c1-12
}

ensure_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v umoci >/dev/null || missing+=(umoci)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} with apt"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# Runs in the chroot: packages, the non-root user, and everything a container does not need removed.
configure_root() {
  local root="$1" pkgs="$2"
  cat >"$root/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
  # No docs, man pages or translations in the image, ever (dpkg skips them at unpack time).
  cat >"$root/etc/dpkg/dpkg.cfg.d/01-pulse-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
EOF
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/01-pulse-norecommends"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # java (libjli.so lookup) and the ca-certificates-java hook need /proc during apt.
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs && apt-get clean" \
    >"$root.apt.log" 2>&1 || { umount "$root/proc"; tail -30 "$root.apt.log" >&2; return 1; }
  umount "$root/proc"
  # Numeric user and group; home is /tmp, the one writable place of a read-only root (an emptyDir in the pod).
  echo "nonroot:x:$UID_GID:" >>"$root/etc/group"
  echo "nonroot:!::" >>"$root/etc/gshadow"
  echo "nonroot:x:$UID_GID:$UID_GID:nonroot:/tmp:/usr/sbin/nologin" >>"$root/etc/passwd"
  echo "nonroot:!:19000:0:99999:7:::" >>"$root/etc/shadow"
  rm -f "$root/usr/sbin/policy-rc.d"
  : >"$root/etc/resolv.conf"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/* "$root"/etc/machine-id "$root"/etc/hostname \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
  find "$root/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true
  chmod 1777 "$root/tmp"
}

# A quick proof the root works as the image will run it: as uid 65532, not root.
smoke_test() {
  local name="$1" root="$2"
  mount -t proc proc "$root/proc"
  case "$name" in
    jre) chroot --userspec=$UID_GID:$UID_GID "$root" /usr/bin/java -version 2>&1 | sed -n 1p >&2 ;;
    python) chroot --userspec=$UID_GID:$UID_GID "$root" /usr/bin/python3 -c 'import ssl, venv, sys; print(sys.version)' >&2 ;;
  esac
  umount "$root/proc"
}

build() {
  local name="$1" pkgs key out link work started=$SECONDS
  pkgs="$(packages_of "$name")"
  key="$(key_of "$name")"
  out="$CACHE/pulse-$name-base-$key.tar"
  link="$CACHE/pulse-$name-base.tar"
  mkdir -p "$CACHE"
  exec 8>"$CACHE/.pulse-$name-base.lock"
  flock 8
  if [[ -f "$out" && "${FORCE:-0}" != 1 ]]; then
    log "$name: cached ($out)"
  else
    ensure_tools
    work="$CACHE/work-$name-$key"
    # A previous run that died may have left /proc mounted in its root.
    umount "$work/root/proc" 2>/dev/null || true
    rm -rf "$work"
    mkdir -p "$work" "$CACHE/debs"
    trap 'umount "'"$work"'/root/proc" 2>/dev/null || true' EXIT
    log "$name: debootstrap --variant=minbase $SUITE (about 40 s)"
    debootstrap --variant=minbase --cache-dir="$CACHE/debs" "$SUITE" "$work/root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    log "$name: apt-get install $pkgs"
    configure_root "$work/root" "$pkgs"
    smoke_test "$name" "$work/root"
    log "$name: root file system $(du -sh "$work/root" | cut -f1); packing"
    umoci init --layout "$work/oci" >&2
    umoci new --image "$work/oci:base" >&2
    umoci insert --image "$work/oci:base" --history.created_by "pulse build-base-images.sh $name ($pkgs)" \
      "$work/root" / >&2
    umoci config --image "$work/oci:base" --os linux --architecture amd64 \
      --config.user "$UID_GID:$UID_GID" --config.workingdir / \
      --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env LANG=C.UTF-8 \
      --config.label "dev.pulse.base=$name" --config.label "dev.pulse.base.key=$key" \
      --config.label "dev.pulse.base.packages=$pkgs" >&2
    skopeo copy --quiet "oci:$work/oci:base" "docker-archive:$out.tmp:pulse/$name-base:$key" >&2
    mv -f "$out.tmp" "$out"
    rm -rf "$work"
    trap - EXIT
    log "$name: built $out ($(du -h "$out" | cut -f1)) in $((SECONDS - started)) s"
  fi
  ln -sfn "$(basename "$out")" "$link"
  # Older keys of this image are dead weight.
  find "$CACHE" -maxdepth 1 -name "pulse-$name-base-*.tar" ! -name "$(basename "$out")" -exec echo "[build-base-images] removing stale {}" \; -delete >&2
  flock -u 8
  echo "$out"
}

FORCE=0
names=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,12p' "$SCRIPT" | sed 's/^# \{0,1\}//'; exit 0 ;;
    all) names+=(jre python) ;;
    jre|python) names+=("$arg") ;;
    *) echo "usage: $0 [--force] [jre|python|all]" >&2; exit 2 ;;
  esac
done
((${#names[@]})) || names=(jre python)
if [[ $EUID -ne 0 ]]; then
  echo "build-base-images.sh: needs root (debootstrap and chroot); run it with sudo" >&2
  exit 1
fi
for n in "${names[@]}"; do build "$n"; done
