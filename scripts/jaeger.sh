#!/usr/bin/env bash
# Starts a real Jaeger for tracetax on 127.0.0.1 (OTLP gRPC 4317, UI and query API 16686, remote
# sampling 5778), in the foreground; Ctrl-C stops it. In order of preference:
#   1. an installed Jaeger v2 binary ($JAEGER_BIN, `jaeger` on PATH, ~/go/bin/jaeger, or the one
#      `scripts/jaeger.sh --install` builds), with scripts/jaeger/config.yaml: in-memory store, loopback only;
#   2. the official all-in-one image, where a Docker daemon answers;
#   3. otherwise a message saying how to get one.
#   scripts/jaeger.sh --install   builds the binary from the Go module proxy (about 8 minutes on 2 cores
#                                 cold, ~30 s with a warm Go build cache; nothing to do when already built)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
built="${XDG_CACHE_HOME:-$HOME/.cache}/tracetax/jaeger/jaeger"
# A v1.x tag carries the v2 binary; the proxy refuses `go install` of the v2 commits, so it is built as a
# tool of a scratch module (where the tag's replace directives do not apply).
jaeger_module_version="v1.76.0"

install() {
  # Idempotent: a binary already built from this version is kept (CI calls this on every run).
  if [[ -x "$built" ]] && command -v go >/dev/null \
    && go version -m "$built" 2>/dev/null | grep -qE "^[[:space:]]+mod[[:space:]]+github.com/jaegertracing/jaeger[[:space:]]+$jaeger_module_version[[:space:]]"; then
    echo "tracetax jaeger: $built is already built from $jaeger_module_version" >&2
    return 0
  fi
  if [[ -x "$built" ]] && ! command -v go >/dev/null; then
    echo "tracetax jaeger: keeping $built (no Go here to check or rebuild it)" >&2
    return 0
  fi
  command -v go >/dev/null || { echo "tracetax jaeger: Go is not installed: install Go 1.26 or use Docker" >&2; exit 2; }
  local dir; dir="$(dirname "$built")"
  mkdir -p "$dir"
  cd "$dir"
  [[ -f go.mod ]] || go mod init example.invalid/tracetax-jaeger >/dev/null
  echo "building Jaeger ($jaeger_module_version) into $built …" >&2
  go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$jaeger_module_version"
  go build -o "$built" github.com/jaegertracing/jaeger/cmd/jaeger
  echo "built $built" >&2
}

if [[ "${1:-}" == "--install" ]]; then install; exit 0; fi

binary=""
for candidate in "${JAEGER_BIN:-}" "$(command -v jaeger || true)" "$HOME/go/bin/jaeger" "$built"; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then binary="$candidate"; break; fi
done

if [[ -n "$binary" ]]; then
  export TRACETAX_JAEGER_STRATEGIES="${TRACETAX_JAEGER_STRATEGIES:-$here/jaeger/strategies.json}"
  echo "tracetax jaeger: $binary on 127.0.0.1 (OTLP :4317, UI :16686, sampling :5778); Ctrl-C stops it" >&2
  exec "$binary" --config "$here/jaeger/config.yaml"
fi

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  echo "tracetax jaeger: no binary found, starting the all-in-one image; Ctrl-C stops it" >&2
  exec docker run --rm --name tracetax-jaeger \
    -p 127.0.0.1:4317:4317 -p 127.0.0.1:16686:16686 -p 127.0.0.1:5778:5778 jaegertracing/jaeger:latest
fi

echo "tracetax jaeger: no Jaeger binary and no Docker daemon: build one with 'scripts/jaeger.sh --install' (needs Go), or set JAEGER_BIN" >&2
exit 2
