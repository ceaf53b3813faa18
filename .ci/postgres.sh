#!/usr/bin/env bash
# Starts (creating if needed) a PostgreSQL cluster for the tests and makes
# sure the test role and database exist. Idempotent; needs root.
#
# NB: do not name variables PGCLUSTER/PGPORT/PGDATABASE/PGUSER...:
# postgresql-common and libpq read them.
set -euo pipefail
PG_VER="${PG_VER:-15}"
PG_PORT="${PG_TEST_PORT:-5432}"
CLUSTER="${PG_TEST_CLUSTER:-main}"
DB="${PG_TEST_DB:-plenary_test}"
ROLE="${PG_TEST_ROLE:-plenary}"
PASS="${PG_TEST_PASS:-plenary}"

if [ ! -x "/usr/lib/postgresql/$PG_VER/bin/postgres" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PG_VER" >/dev/null
fi
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -x "$PG_VER/$CLUSTER" >/dev/null; then
  pg_createcluster "$PG_VER" "$CLUSTER" --port "$PG_PORT" >/dev/null
fi
# pg_ctlcluster start exits 2 when the cluster already runs, hence status || start.
pg_ctlcluster "$PG_VER" "$CLUSTER" status >/dev/null 2>&1 || pg_ctlcluster "$PG_VER" "$CLUSTER" start
PORT=$(pg_lsclusters -h | awk -v v="$PG_VER" -v c="$CLUSTER" '$1==v && $2==c{print $3}')
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.5; done
pg_isready -h 127.0.0.1 -p "$PORT" >/dev/null
su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -q" <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$ROLE', '$PASS')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB', '$ROLE')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB')\gexec
SQL
echo "postgres://$ROLE:$PASS@127.0.0.1:$PORT/$DB?sslmode=disable"
