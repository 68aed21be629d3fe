#!/usr/bin/env bash
# Local single-node Qdrant server for the Qdrant suites (libs/vector-store/test/qdrant.test.ts, and the
# system path on Qdrant, test/qdrant/pipeline-on-qdrant.test.ts).
# No package registry ships the server, so the binary comes from the folder shared/bin next to
# the checkout (qdrant-v1.18.3-linux-x64.xz and its .sha256), checksum-verified and unpacked once
# into the git-ignored .cache/qdrant.
#
#   scripts/qdrant.sh up|down|status
#
# `up` prints the server's URL on stdout (progress goes to stderr); where there is neither a URL
# nor a binary it exits 1 saying why, and the Qdrant suite skips with that reason.
# Needs: xz and sha256sum (for the .xz), curl.
# Env: QDRANT_URL (a server someone else runs: `up` only checks that it answers /readyz, `down`
#      leaves it alone), QDRANT_BIN (an unpacked binary to run instead of the .xz),
#      QDRANT_BIN_DIR (the folder holding the .xz and .sha256; default "$repo/../shared/bin"),
#      QDRANT_VERSION (1.18.3), QDRANT_PORT (6333; gRPC listens on QDRANT_PORT+1).
set -euo pipefail

QDRANT_VERSION="${QDRANT_VERSION:-1.18.3}"
QDRANT_PORT="${QDRANT_PORT:-6333}"
GRPC_PORT=$((QDRANT_PORT + 1))
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="${QDRANT_BIN_DIR:-$repo/../shared/bin}"
archive="$bin_dir/qdrant-v$QDRANT_VERSION-linux-x64.xz"
checksum="$bin_dir/qdrant-v$QDRANT_VERSION-linux-x64.sha256"
cache="$repo/.cache/qdrant"
unpacked="$cache/bin-$QDRANT_VERSION/qdrant"
node_dir="$cache/node-$QDRANT_PORT"
pid_file="$node_dir/qdrant.pid"
log_file="$node_dir/server.log"
local_url="http://127.0.0.1:$QDRANT_PORT"

say() { echo "qdrant.sh: $*" >&2; }
ready() { curl -fsS --max-time 2 "$1/readyz" >/dev/null 2>&1; }
pid_alive() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

# Prints the path of a runnable, verified binary, or says why there is none and fails.
binary() {
  if [ -n "${QDRANT_BIN:-}" ]; then
    [ -x "$QDRANT_BIN" ] || { say "QDRANT_BIN=$QDRANT_BIN is not an executable file"; return 1; }
    echo "$QDRANT_BIN"; return 0
  fi
  if [ -x "$unpacked" ] && [ -f "$unpacked.verified" ]; then echo "$unpacked"; return 0; fi
  if [ ! -f "$archive" ] || [ ! -f "$checksum" ]; then
    say "no Qdrant server: QDRANT_URL is unset and $archive (with its .sha256) is missing;" \
      "set QDRANT_URL, QDRANT_BIN or QDRANT_BIN_DIR — the Qdrant suites will be skipped"
    return 1
  fi
  command -v xz >/dev/null || { say "xz is needed to unpack $archive"; return 1; }
  say "unpacking $(basename "$archive") into ${unpacked#"$repo"/}"
  local dir; dir="$(dirname "$unpacked")"
  rm -rf "$dir"; mkdir -p "$dir"
  xz -dc "$archive" >"$dir/qdrant.part"
  mv "$dir/qdrant.part" "$dir/qdrant"
  # The .sha256 names a file called `qdrant`, so it is checked from the binary's folder.
  if ! (cd "$dir" && sha256sum --quiet -c "$checksum" >&2); then
    rm -rf "$dir"
    say "checksum of the unpacked binary does not match $checksum; refusing to run it"
    return 1
  fi
  chmod +x "$dir/qdrant"
  touch "$unpacked.verified"
  echo "$unpacked"
}

up() {
  command -v curl >/dev/null || { say "curl is needed to probe /readyz"; exit 1; }
  if [ -n "${QDRANT_URL:-}" ]; then
    if ready "$QDRANT_URL"; then echo "$QDRANT_URL"; return 0; fi
    say "QDRANT_URL=$QDRANT_URL does not answer /readyz — the Qdrant suites will be skipped"
    exit 1
  fi
  if pid_alive && ready "$local_url"; then echo "$local_url"; return 0; fi
  if ready "$local_url" || (exec 3<>"/dev/tcp/127.0.0.1/$QDRANT_PORT") 2>/dev/null; then
    say "port $QDRANT_PORT is taken by a process this checkout did not start; stop it, set" \
      "QDRANT_PORT, or point QDRANT_URL at it"
    exit 1
  fi
  local exe; exe="$(binary)" || exit 1
  # Scratch storage: the suite creates uniquely named collections and needs nothing kept.
  rm -rf "$node_dir"; mkdir -p "$node_dir/storage" "$node_dir/snapshots"
  say "starting Qdrant $QDRANT_VERSION on 127.0.0.1:$QDRANT_PORT (gRPC $GRPC_PORT)"
  (
    cd "$node_dir"
    QDRANT__SERVICE__HOST=127.0.0.1 QDRANT__SERVICE__HTTP_PORT="$QDRANT_PORT" \
      QDRANT__SERVICE__GRPC_PORT="$GRPC_PORT" QDRANT__STORAGE__STORAGE_PATH="$node_dir/storage" \
      QDRANT__STORAGE__SNAPSHOTS_PATH="$node_dir/snapshots" QDRANT__TELEMETRY_DISABLED=true \
      exec nohup "$exe" >"$log_file" 2>&1 </dev/null
  ) &
  echo $! >"$pid_file"
  local waited=0
  until ready "$local_url"; do
    if ! pid_alive; then
      say "Qdrant exited during start; the end of $log_file:"
      tail -n 30 "$log_file" >&2 || true
      exit 1
    fi
    sleep 0.5; waited=$((waited + 1))
    if [ "$waited" -gt 120 ]; then
      say "Qdrant not ready after 60 s; the end of $log_file:"
      tail -n 30 "$log_file" >&2 || true
      down >/dev/null
      exit 1
    fi
  done
  say "up at $local_url"
  echo "$local_url"
}

down() {
  if [ -n "${QDRANT_URL:-}" ]; then say "QDRANT_URL is set: that server is not ours to stop"; return 0; fi
  if pid_alive; then
    local pid; pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$node_dir"
  echo "qdrant: down" >&2
}

status() {
  local url="${QDRANT_URL:-$local_url}"
  if { [ -n "${QDRANT_URL:-}" ] || pid_alive; } && ready "$url"; then
    echo "qdrant: up at $url"
  else
    echo "qdrant: down"; return 1
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: scripts/qdrant.sh up|down|status" >&2; exit 2 ;;
esac
