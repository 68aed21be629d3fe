#!/usr/bin/env bash
# Chromium for the browser tests: Debian's `chromium` package (installed with apt-get when
# missing and we are root), driven by playwright-core. Never a browser download from elsewhere.
#
#   scripts/chromium.sh ensure   installs when missing; prints the binary's path, or exits 1 saying why
#
# Env: CHROMIUM_PATH (default /usr/bin/chromium).
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
case "${1:-}" in
  ensure)
    if [ ! -x "$bin" ]; then
      if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "chromium.sh: $bin is missing and apt-get cannot install it here; run: sudo apt-get install -y chromium" >&2
        exit 1
      fi
      echo "chromium.sh: installing Debian's chromium package" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
    fi
    [ -x "$bin" ] || { echo "chromium.sh: $bin is still missing after apt-get" >&2; exit 1; }
    echo "$bin"
    ;;
  *)
    echo "usage: scripts/chromium.sh ensure" >&2
    exit 64
    ;;
esac
