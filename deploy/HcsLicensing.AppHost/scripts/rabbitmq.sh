#!/usr/bin/env bash
# A private RabbitMQ node for the AppHost (Debian's rabbitmq-server), run in the foreground under Aspire's orchestrator.
#   rabbitmq.sh DIR AMQP_PORT DIST_PORT EPMD_PORT
# Everything it writes stays in DIR (created by the AppHost, removed here on stop and by the AppHost on exit).
# It starts its own epmd on EPMD_PORT rather than letting Erlang daemonize the shared one on 4369: a daemonized epmd
# leaves its process group and outlives the demo, and killing the shared one would break other Erlang nodes.
set -uo pipefail

dir=$1 amqp_port=$2 dist_port=$3 epmd_port=$4
server=/usr/lib/rabbitmq/bin/rabbitmq-server   # the /usr/sbin wrapper switches user and drops our environment
echo $$ > "$dir/wrapper.pid"
mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"

# No plugins: the broker boots faster, and the suite needs none (no delayed exchange: the services schedule in PostgreSQL).
printf '[].\n' > "$dir/enabled_plugins"
# A busy machine's disk or memory alarm must not stop publishes during a demo.
printf 'disk_free_limit.absolute = 50MB\nvm_memory_high_watermark.relative = 0.8\n' > "$dir/rabbitmq.conf"

export HOME="$dir/home"                       # the Erlang cookie is written here, not into the user's home
export ERL_EPMD_PORT=$epmd_port ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_NODENAME="hcs-run-$$@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port
export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_LOGS=-   # logs to stdout: the dashboard shows them
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" RABBITMQ_PID_FILE="$dir/rabbitmq.pid"

epmd_pid= rabbit_pid=
stop() {
  trap '' TERM INT
  echo "stopping RabbitMQ"
  # rabbitmq-server's own TERM handler stops the Erlang VM cleanly; epmd goes last, once the node has unregistered.
  [ -n "$rabbit_pid" ] && kill -TERM "$rabbit_pid" 2>/dev/null && wait "$rabbit_pid"
  [ -n "$epmd_pid" ] && kill -TERM "$epmd_pid" 2>/dev/null && wait "$epmd_pid"
  rm -rf "$dir"
  echo "RabbitMQ stopped, data removed"
  exit 0
}
trap stop TERM INT

# -port/-address keep it private and on loopback; without -daemon it stays our child and dies with us.
epmd -port "$epmd_port" -address 127.0.0.1 &
epmd_pid=$!
for _ in $(seq 1 100); do
  epmd -port "$epmd_port" -names >/dev/null 2>&1 && break
  sleep 0.05
done

"$server" &
rabbit_pid=$!
wait "$rabbit_pid"
status=$?
echo "rabbitmq-server exited with $status"
kill -TERM "$epmd_pid" 2>/dev/null
rm -rf "$dir"
exit "$status"
