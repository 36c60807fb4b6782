# Sourced by the hack/flux scripts: the Flux controllers' version and where they are cached (outside the repo).
# v1.9.6 is the last release whose go.mod needs Go 1.26 (v1.10.x declares go 1.27.0). Override with the env vars.
FLUX_SOURCE_VERSION="${PULSE_FLUX_SOURCE_VERSION:-1.9.6}"        # github.com/fluxcd/source-controller
FLUX_KUSTOMIZE_VERSION="${PULSE_FLUX_KUSTOMIZE_VERSION:-1.9.6}"  # github.com/fluxcd/kustomize-controller
FLUX_DIR="${PULSE_FLUX_DIR:-$HOME/.cache/pulse/flux/source-${FLUX_SOURCE_VERSION}-kustomize-${FLUX_KUSTOMIZE_VERSION}}"
FLUX_CRDS="$FLUX_DIR/crds"
