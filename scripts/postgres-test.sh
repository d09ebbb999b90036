#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and benches: a fresh cluster in a temp folder, on loopback, on a
# free port, with fsync and synchronous_commit on (the durability the queue is measured with).
#   bash scripts/postgres-test.sh npx vitest run test/store/postgres   # runs a command against it, then stops it
#   source scripts/postgres-test.sh; ...; postgres_test_stop          # or keeps it for this shell
# Either way HERO_DESK_TEST_PG_URL names the database. Uses Debian's postgresql (installed with apt when run
# as root and missing). PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`.

pg_bin_dir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$initdb" ]; then dirname "$initdb"; elif command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; fi
}

# runs a PostgreSQL tool as the cluster's owner (from /, which the postgres user can read)
as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

postgres_test_start() {
  if [ -z "$(pg_bin_dir)" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "postgres-test: installing Debian's postgresql" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
    else
      echo "postgres-test: no PostgreSQL (initdb) found; install postgresql" >&2
      return 1
    fi
  fi
  PG_BIN=$(pg_bin_dir)
  PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hero-desk-pg.XXXXXX") || return 1
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_TEST_DIR" || return 1; fi
  local port
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})') || return 1
  as_owner "$PG_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null || return 1
  as_owner "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=on -c synchronous_commit=on -c max_connections=200" start || {
    cat "$PG_TEST_DIR/log" >&2
    return 1
  }
  as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres hero_desk_test || return 1
  export HERO_DESK_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/hero_desk_test"
  echo "postgres-test: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $HERO_DESK_TEST_PG_URL" >&2
}

postgres_test_stop() {
  [ -d "${PG_TEST_DIR:-}" ] || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w -s stop || true
  rm -rf "$PG_TEST_DIR"
  unset PG_TEST_DIR HERO_DESK_TEST_PG_URL
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # run as a script: start, run the command, stop (whatever the command's outcome)
  set -uo pipefail
  postgres_test_start || exit 1
  trap postgres_test_stop EXIT
  if [ $# -gt 0 ]; then "$@"; else echo "postgres-test: started and stopped (give a command to run against it)" >&2; fi
else
  postgres_test_start
fi
