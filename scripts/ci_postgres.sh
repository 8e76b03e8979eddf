#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the history tests and print its URL.
#
#   scripts/ci_postgres.sh [DIR]      start (or find running) the server kept in DIR; the last
#                                     line printed is postgresql://pipeline:…@127.0.0.1:PORT/pipeline
#   scripts/ci_postgres.sh --stop DIR stop that server and delete DIR
#
# DIR defaults to ${TMPDIR:-/tmp}/pipeline-postgres, so running it twice gives the same server.
# Installs Debian's postgresql first when its programs are missing and we are root. Progress goes
# to stderr only when something fails; stdout carries just the URL.
set -euo pipefail
umask 077  # the password file and the cluster are for the owner alone

log() { echo "ci_postgres: $*" >&2; }

find_bin() {
  # Debian keeps the server programs out of PATH, under /usr/lib/postgresql/<version>/bin.
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

# Run a server program as the owner of the cluster: postgres when we are root (initdb refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local port
  for port in $(seq 54320 54420); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  log "no free port found between 54320 and 54420"
  exit 1
}

if [ "${1:-}" = "--stop" ]; then
  dir="${2:?usage: ci_postgres.sh --stop DIR}"
  if bin="$(find_bin)" && [ -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit 0
fi

dir="${1:-${TMPDIR:-/tmp}/pipeline-postgres}"

if ! bin="$(find_bin)"; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)."
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql; } \
      >"${TMPDIR:-/tmp}/ci_postgres_apt.log" 2>&1; then
    log "apt-get could not install postgresql; see ${TMPDIR:-/tmp}/ci_postgres_apt.log"
    exit 1
  fi
  bin="$(find_bin)" || { log "postgresql was installed but initdb was not found"; exit 1; }
fi

mkdir -p "$dir"
chmod 700 "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
  # A random password, though the server listens on loopback only: the URL is the only key.
  password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" | as_owner tee "$dir/password" >/dev/null
  if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
    log "initdb failed; see $dir/initdb.log"
    exit 1
  fi
  free_port | as_owner tee "$dir/port" >/dev/null
fi
port="$(cat "$dir/port")"
password="$(cat "$dir/password")"

if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  # Listen on loopback only, with the socket in DIR: no need for /var/run/postgresql.
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null 2>&1; then
    log "the server did not start; see $dir/server.log"
    exit 1
  fi
fi

psql_admin() { as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -qtAX -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'pipeline'")" != 1 ]; then
  psql_admin -c "CREATE ROLE pipeline LOGIN PASSWORD '$password'" >/dev/null
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'pipeline'")" != 1 ]; then
  psql_admin -c "CREATE DATABASE pipeline OWNER pipeline" >/dev/null
fi

echo "postgresql://pipeline:${password}@127.0.0.1:${port}/pipeline"
