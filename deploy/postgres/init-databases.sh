#!/bin/sh
# One PostgreSQL role per service, owning its own database and nothing else; the services never log in as the
# administrator. Idempotent: runs before the services at every `docker compose up` (service postgres-init) and as the
# Kubernetes Job postgres-init, so it creates what is missing and sets each role's password to the current secret
# (changing a password in the secrets and running it again rotates it). Kept identical to the copy in
# k8s/postgres.yaml (deploy/validate.py compares them).
#
# Environment: PGHOST, PGUSER, PGPASSWORD (the administrator; libpq's own variables) and, per service,
# <SERVICE>_DB_PASSWORD: letters, digits, '-' and '_', at least 16 characters (they go into Npgsql connection strings).
set -eu

# Each name is a database and the role that owns it; the services' ConnectionStrings__Database use the same.
SERVICES="identity jobtracker smartaccountsync chpa clusterassign"

password_of() {
  variable=$(echo "$1" | tr a-z A-Z)_DB_PASSWORD
  eval "password=\${$variable:-}"
  case "$password" in
    "") echo "postgres-init: $variable is not set" >&2; return 1 ;;
    *[!A-Za-z0-9_-]*) echo "postgres-init: $variable may hold only letters, digits, '-' and '_'" >&2; return 1 ;;
  esac
  if [ "${#password}" -lt 16 ]; then echo "postgres-init: $variable is shorter than 16 characters" >&2; return 1; fi
}

# Every secret is checked before anything changes.
for service in $SERVICES; do password_of "$service"; done

# The server may still be starting (the Kubernetes Job starts beside it).
tries=0
until pg_isready -q -d postgres; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then echo "postgres-init: PostgreSQL at ${PGHOST:-the socket} did not answer" >&2; exit 1; fi
  sleep 2
done

for service in $SERVICES; do
  password_of "$service"
  # psql quotes :'x' as a literal and :"x" as an identifier. CREATE DATABASE cannot run in a DO block, hence
  # \gexec for the "only if missing" statements.
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -v name="$service" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'name') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
ALTER ROLE :"name" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
ALTER DATABASE :"name" OWNER TO :"name";
-- Only its owner (and the administrator) may connect: no service reaches another one's database.
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
  echo "postgres-init: role and database $service ready"
done
