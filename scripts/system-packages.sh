#!/usr/bin/env bash
# The system packages the tests need: Chromium (browser tests), PostgreSQL's server binaries
# (a throwaway server when none is running), Node and npm (the stylesheet) and Pango (PDF
# reports, through WeasyPrint). Installs what is missing when it may (root, with apt-get); else
# prints the one command that would and fails, so `make test` stops before a confusing error.
# Used by `make test` and .ci/run alike.
set -euo pipefail

need=()
# The browser tests use HCT_CHROMIUM when set, else Debian's chromium.
if [ -n "${HCT_CHROMIUM:-}" ]; then
  [ -x "$HCT_CHROMIUM" ] || need+=(chromium)
else
  command -v chromium >/dev/null || need+=(chromium)
fi
# scripts/test.sh needs initdb only when no PostgreSQL answers on 127.0.0.1:5432 and
# TEST_DATABASE_URL names none.
if [ -z "${TEST_DATABASE_URL:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
command -v npm >/dev/null || need+=(nodejs npm)
# WeasyPrint (PDF reports) renders with Pango.
# (Read whole first: `ldconfig -p | grep -q` fails under pipefail when grep stops reading early.)
libraries="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
[[ "$libraries" == *libpango-1.0* ]] || need+=(libpango-1.0-0 libpangoft2-1.0-0)

[ ${#need[@]} -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
  exit 0
fi
echo "The tests need system packages that are missing: ${need[*]}." >&2
if command -v apt-get >/dev/null; then
  echo "Install them with:  sudo sh -c '$command'" >&2
else
  echo "Install them with your system's package manager (on Debian or Ubuntu: $command)." >&2
fi
exit 1
