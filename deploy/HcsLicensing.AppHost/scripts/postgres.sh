#!/usr/bin/env bash
# A private PostgreSQL server for the AppHost, run in the foreground under Aspire's orchestrator.
#   postgres.sh BIN_DIR DIR PORT DATABASE...
# initdb into DIR, start postgres on 127.0.0.1:PORT, create one database per service, then touch DIR/ready (what the
# AppHost's health check looks for). On TERM or INT: a fast shutdown, then DIR is removed.
set -uo pipefail

bin=$1 dir=$2 port=$3
shift 3
echo $$ > "$dir/wrapper.pid"
cd "$dir" || exit 1

# initdb and postgres refuse to run as root: as root, run them as the postgres user (Debian's package creates it).
# setpriv execs the program itself, so $! below is the postmaster's pid and a signal reaches it directly.
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

pg_pid=
stop() {
  trap '' TERM INT
  echo "stopping PostgreSQL"
  # SIGINT is PostgreSQL's fast shutdown: open sessions are ended instead of waited for.
  [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null && wait "$pg_pid"
  rm -rf "$dir"
  echo "PostgreSQL stopped, data removed"
  exit 0
}
trap stop TERM INT

"${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log"
  echo "initdb failed"
  rm -rf "$dir"
  exit 1
}

# The data is thrown away on exit, so durability settings that only cost time are off.
"${as_postgres[@]}" "$bin/postgres" -D "$dir/data" -p "$port" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir" -c max_connections=300 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off &
pg_pid=$!

until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; do
  kill -0 "$pg_pid" 2>/dev/null || { echo "postgres exited while starting"; rm -rf "$dir"; exit 1; }
  sleep 0.1
done
for database in "$@"; do
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$database\"" || {
    echo "could not create database $database"
    kill -INT "$pg_pid"; wait "$pg_pid"; rm -rf "$dir"; exit 1
  }
done
echo "PostgreSQL ready on 127.0.0.1:$port with databases: $*"
touch "$dir/ready"

wait "$pg_pid"
status=$?
echo "postgres exited with $status"
rm -rf "$dir"
exit "$status"
