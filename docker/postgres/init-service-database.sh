#!/bin/sh
# Runs once, when a service's PostgreSQL container initialises its empty data
# volume (the postgres image runs /docker-entrypoint-initdb.d/* as the superuser).
# Creates the service's own login role and the database it owns, and revokes
# CONNECT from PUBLIC: the service gets a role that is not a superuser, owns its
# own database and reaches no other (the same rules as provisionServiceDatabase
# in libs/platform).
#
#   SERVICE_DB_NAME      database name, also the role name (e.g. tax_agency)
#   SERVICE_DB_PASSWORD  the role's password
#
# The image sources this file instead of executing it when it is not executable,
# so it neither exits nor changes shell options.
psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
  --set service_db="${SERVICE_DB_NAME:?SERVICE_DB_NAME is required}" \
  --set service_password="${SERVICE_DB_PASSWORD:?SERVICE_DB_PASSWORD is required}" <<'SQL'
CREATE ROLE :"service_db" LOGIN PASSWORD :'service_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"service_db" OWNER :"service_db";
REVOKE ALL ON DATABASE :"service_db" FROM PUBLIC;
SQL
