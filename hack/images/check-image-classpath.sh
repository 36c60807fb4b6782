#!/usr/bin/env bash
# Checks what Pulse's images hold: lists the jars (/app/libs) and classes (/app/classes) of each image archive that
# Jib wrote and matches them against hack/images/deny-list.txt (test-only code, training-only code, a Kafka broker
# outside the broker image). Violations listed in hack/images/deny-list-known.txt are reported as warnings (a TODO
# for issue 15's module split); any other violation fails.
#
#   hack/images/check-image-classpath.sh IMAGE_DIR NAME...      checks IMAGE_DIR/NAME.tar (names without a tar are skipped)
#   hack/images/check-image-classpath.sh --list IMAGE_TAR        prints the image's jars and classes
#
# Exit status: 0 clean (or only known violations), 1 new violations, 2 usage or unreadable archive.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DENY="${PULSE_IMAGE_DENY_LIST:-$here/deny-list.txt}"
KNOWN="${PULSE_IMAGE_DENY_KNOWN:-$here/deny-list-known.txt}"

# "jar NAME" and "class PATH" lines for what the image's classpath holds (classes of Pulse's own jars included).
classpath_entries() {
  python3 "$here/list-image-classpath.py" "$1"
}

if [[ "${1:-}" == --list ]]; then
  [[ -f "${2:-}" ]] || { echo "usage: $0 --list IMAGE_TAR" >&2; exit 2; }
  classpath_entries "$2"
  exit 0
fi
if (($# < 2)); then
  echo "usage: $0 IMAGE_DIR NAME... | --list IMAGE_TAR" >&2
  exit 2
fi
dir="$1"; shift

new=0
for name in "$@"; do
  tar="$dir/$name.tar"
  [[ -f "$tar" ]] || continue
  entries="$(classpath_entries "$tar")" || { echo "check-image-classpath: cannot read $tar" >&2; exit 2; }
  jars=$(grep -c '^jar ' <<<"$entries" || true)
  classes=$(grep -c '^class ' <<<"$entries" || true)
  echo "[check-image-classpath] $name: $jars jars, $classes classes"
  while read -r kind regex allowed why; do
    [[ -z "$kind" || "$kind" == \#* ]] && continue
    [[ "$allowed" == "$name" ]] && continue
    hits="$(awk -v k="$kind" -v re="$regex" '$1 == k && $2 ~ re { print $2 }' <<<"$entries")"
    known=0
    if awk -v i="$name" -v k="$kind" -v re="$regex" '$1 == i && $2 == k && $3 == re { f = 1 } END { exit !f }' "$KNOWN"; then
      known=1
    fi
    if [[ -z "$hits" ]]; then
      ((known)) && echo "[check-image-classpath] $name: STALE entry in $(basename "$KNOWN"): '$kind $regex' no longer matches; delete the line"
      continue
    fi
    count=$(wc -l <<<"$hits")
    sample="$(head -3 <<<"$hits" | tr '\n' ' ')"
    if ((known)); then
      echo "[check-image-classpath] $name: KNOWN (TODO issue 15) $kind $regex: $count file(s), $why: $sample"
    else
      echo "[check-image-classpath] $name: DENIED $kind $regex: $count file(s), $why: $sample" >&2
      new=1
    fi
  done <"$DENY"
done
if ((new)); then
  echo "[check-image-classpath] an image holds code no runtime image may hold (hack/images/deny-list.txt); fix the" \
       "module's dependencies, or, for a known debt, list it in hack/images/deny-list-known.txt with a TODO" >&2
fi
exit "$new"
