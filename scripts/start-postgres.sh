#!/usr/bin/env bash
# Installs (apt-get, when missing) and starts a local PostgreSQL server with a `casereview` role that may
# create databases, for CI and `make loadtest`. Needs root. Prints nothing on success but the server version.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL did not start" >&2; exit 1; }
su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='casereview'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE casereview LOGIN CREATEDB PASSWORD 'casereview'\""
su postgres -c "psql -qtc \"SELECT 1 FROM pg_database WHERE datname='casereview'\"" | grep -q 1 \
  || su postgres -c "createdb -O casereview casereview"
echo "PostgreSQL $version ready"
