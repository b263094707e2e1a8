#!/usr/bin/env bash
# The whole test suite: lint, then every test on SQLite, then every test again on PostgreSQL.
#
# PostgreSQL is, in order: the server TEST_DATABASE_URL names; else the local server on
# 127.0.0.1:5432 if it answers; else a throwaway server started here from the installed
# PostgreSQL binaries. If none can be had the run fails and says how to get one.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== lint (ruff, import contracts, mypy)"
$BIN/ruff format --check src tests bench load
$BIN/ruff check src tests bench load
# DESIGN.md's app order and no import cycles (contracts in pyproject.toml's [tool.importlinter]).
$BIN/lint-imports
# Types that hold: mypy with django-stubs ([tool.mypy] in pyproject.toml) over src/.
$BIN/mypy src

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/python -m pytest "$@"

pg_url=""
throwaway=""
cleanup() {
  if [ -n "$throwaway" ]; then
    runas "$(command -v pg_ctl || echo /usr/lib/postgresql/*/bin/pg_ctl)" -D "$throwaway/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$throwaway"
  fi
}
trap cleanup EXIT

runas() {
  # initdb and postgres refuse to run as root: run them as the postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  pg_url="$TEST_DATABASE_URL"
elif (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  pg_url="postgres://postgres@127.0.0.1:5432/test"
else
  initdb_bin="$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n1 || true)"
  if [ -z "$initdb_bin" ]; then
    echo "No PostgreSQL for the second half of the tests. Start one on 127.0.0.1:5432, set" >&2
    echo "TEST_DATABASE_URL=postgres://user@host:port/db, or install PostgreSQL (apt-get install postgresql)." >&2
    exit 1
  fi
  bindir="$(dirname "$initdb_bin")"
  throwaway="$(mktemp -d /tmp/hct-pg.XXXXXX)"
  chmod 755 "$throwaway"
  [ "$(id -u)" = 0 ] && chown postgres "$throwaway"
  port=$(( 20000 + RANDOM % 20000 ))
  echo "== starting a throwaway PostgreSQL on port $port"
  runas "$bindir/initdb" -D "$throwaway/data" -A trust -U postgres >/dev/null
  runas "$bindir/pg_ctl" -D "$throwaway/data" -o "-p $port -k $throwaway -h 127.0.0.1" -w start >/dev/null
  runas "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres test
  pg_url="postgres://postgres@127.0.0.1:$port/test"
fi

echo "== tests on PostgreSQL ($pg_url)"
DATABASE_URL="$pg_url" $BIN/python -m pytest "$@"
