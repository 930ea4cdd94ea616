#!/usr/bin/env bash
# A real Chromium for the HTML report's browser test (test/e2e/html-report.test.ts), driven by playwright-core.
#   scripts/chromium.sh --install   installs Debian's `chromium` with apt when none is on PATH (idempotent;
#                                   needs root, as in CI); prints the binary it found or installed
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || true; }
if [[ "${1:-}" != "--install" ]]; then
  found="$(find_chromium)"; [[ -n "$found" ]] && echo "$found" || { echo "tracetax chromium: none on PATH: scripts/chromium.sh --install" >&2; exit 2; }
  exit 0
fi
found="$(find_chromium)"
if [[ -n "$found" ]]; then echo "tracetax chromium: $found is installed" >&2; exit 0; fi
command -v apt-get >/dev/null || { echo "tracetax chromium: no apt-get here: install Chromium and put it on PATH" >&2; exit 2; }
[[ "$(id -u)" == "0" ]] || { echo "tracetax chromium: installing with apt needs root: sudo scripts/chromium.sh --install" >&2; exit 2; }
echo "installing Debian's chromium with apt …" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "tracetax chromium: $(find_chromium) installed" >&2
