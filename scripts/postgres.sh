#!/usr/bin/env bash
# Local PostgreSQL for tests and development: Debian's `postgresql` package (installed with
# apt-get when missing and we are root), one cluster on 127.0.0.1, a `catalens` role that may
# create databases (tests create one database per suite).
#
#   scripts/postgres.sh up|down|status|url
#
# Needs: Debian/Ubuntu with apt (only when PostgreSQL is not installed yet).
# Env: PG_PORT (5432), PG_DATA_DIR (see below), PG_USER/PG_PASSWORD (catalens/catalens).
set -euo pipefail

PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-catalens}"
PG_PASSWORD="${PG_PASSWORD:-catalens}"
PG_DB="${PG_DB:-catalens}"
repo="$(cd "$(dirname "$0")/.." && pwd)"

# The server refuses to run as root, so as root it runs as the `postgres` system user, whose
# data directory must be reachable by it: a clone under a 0700 temp dir is not, so root's
# cluster lives under /var/tmp. Non-root users keep it in the repo's git-ignored cache.
if [ "$(id -u)" = 0 ]; then
  PG_DATA_DIR="${PG_DATA_DIR:-/var/tmp/catalens-postgres-$PG_PORT}"
  run_as() { runuser -u postgres -- "$@"; }
else
  PG_DATA_DIR="${PG_DATA_DIR:-$repo/.cache/postgres-$PG_PORT}"
  run_as() { "$@"; }
fi
log_file="$PG_DATA_DIR.log"

find_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

ensure_installed() {
  if [ -z "$(find_bindir)" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "postgres.sh: PostgreSQL is not installed and we are not root; run: sudo apt-get install -y postgresql" >&2
      exit 1
    fi
    echo "postgres.sh: installing Debian's postgresql package" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    # The package may start its own cluster on 5432; ours is separate, so stop it.
    command -v pg_ctlcluster >/dev/null && for c in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster "$c" main stop 2>/dev/null || true
    done
  fi
}

is_up() {
  local bin
  bin=$(find_bindir) || return 1
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
}

url() { echo "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"; }

up() {
  ensure_installed
  local bin
  bin=$(find_bindir)
  if [ ! -s "$PG_DATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PG_DATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DATA_DIR" && chmod 700 "$PG_DATA_DIR"
    run_as "$bin/initdb" -D "$PG_DATA_DIR" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # Superuser over the Unix socket only; the app role uses a password over loopback TCP.
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $PG_PORT"
      echo "unix_socket_directories = '$PG_DATA_DIR'"
      echo "max_connections = 300"
      echo "fsync = on"
    } | run_as tee -a "$PG_DATA_DIR/postgresql.conf" >/dev/null
  fi
  if ! is_up; then
    [ "$(id -u)" = 0 ] && touch "$log_file" && chown postgres "$log_file"
    run_as "$bin/pg_ctl" -D "$PG_DATA_DIR" -l "$log_file" -w -t 60 start >/dev/null
  fi
  local psql=("$bin/psql" -h "$PG_DATA_DIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$(run_as "${psql[@]}" -c "select 1 from pg_roles where rolname='$PG_USER'")" != 1 ]; then
    run_as "${psql[@]}" -c "create role $PG_USER login createdb password '$PG_PASSWORD'"
  fi
  if [ "$(run_as "${psql[@]}" -c "select 1 from pg_database where datname='$PG_DB'")" != 1 ]; then
    run_as "${psql[@]}" -c "create database $PG_DB owner $PG_USER"
  fi
  echo "postgres: up at $(url)"
}

down() {
  local bin
  bin=$(find_bindir) || { echo "postgres: not installed"; return 0; }
  if [ -s "$PG_DATA_DIR/postmaster.pid" ]; then
    run_as "$bin/pg_ctl" -D "$PG_DATA_DIR" -m fast -w stop >/dev/null || true
  fi
  echo "postgres: down"
}

status() {
  if is_up; then echo "postgres: up at $(url)"; else echo "postgres: down"; return 1; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  url) url ;;
  *) echo "usage: scripts/postgres.sh up|down|status|url" >&2; exit 2 ;;
esac
