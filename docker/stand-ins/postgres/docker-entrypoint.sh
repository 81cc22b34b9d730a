#!/bin/sh
# The official postgres image's start-up contract, for the stand-in (see Dockerfile).
set -eu

# `docker run IMAGE -c shared_buffers=256MB` starts postgres with that option.
case "${1:-}" in
  -*) set -- postgres "$@" ;;
esac
[ "${1:-}" = postgres ] || exec "$@"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

mkdir -p "$PGDATA"
chmod 700 "$PGDATA" 2>/dev/null || :

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  user=${POSTGRES_USER:-postgres}
  database=${POSTGRES_DB:-$user}
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo "postgres: the database is not initialised and POSTGRES_PASSWORD is not set" >&2
    echo "  (set it, or POSTGRES_HOST_AUTH_METHOD=trust to accept connections without one)" >&2
    exit 1
  fi

  # The password goes to initdb on a pipe, never on a command line or in a file.
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of options
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    printf '%s\n' "$POSTGRES_PASSWORD" | initdb --username="$user" --pwfile=/dev/stdin ${POSTGRES_INITDB_ARGS:-}
  else
    initdb --username="$user" ${POSTGRES_INITDB_ARGS:-}
  fi
  printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

  # A server on the socket only while the init scripts run: nobody else connects yet.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  export POSTGRES_USER="$user" POSTGRES_DB="$database"
  run_psql() { psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$user" "$@"; }
  if [ "$database" != postgres ]; then
    run_psql --dbname postgres --set database="$database" <<'SQL'
CREATE DATABASE :"database";
SQL
  fi
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh)
        if [ -x "$file" ]; then
          echo "postgres: running $file"
          "$file"
        else
          echo "postgres: sourcing $file"
          # shellcheck disable=SC1090
          . "$file"
        fi
        ;;
      *.sql) echo "postgres: running $file"; run_psql --dbname "$database" -f "$file" ;;
      *.sql.gz) echo "postgres: running $file"; gunzip -c "$file" | run_psql --dbname "$database" ;;
      */\*) ;;
      *) echo "postgres: ignoring $file" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "postgres: initialised; starting"
fi

exec "$@"
