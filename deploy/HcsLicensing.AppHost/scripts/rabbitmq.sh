#!/usr/bin/env bash
# A private RabbitMQ node for the AppHost (Debian's rabbitmq-server), run in the foreground under Aspire's orchestrator.
#   rabbitmq.sh DIR AMQP_PORT DIST_PORT EPMD_PORT NODE_NAME [SEED_NODE_NAME]
# Everything it writes stays in DIR (created by the AppHost, removed here on stop and by the AppHost on exit).
# The first node starts its own epmd on EPMD_PORT rather than letting Erlang daemonize the shared one on 4369: a
# daemonized epmd leaves its process group and outlives the demo, and killing the shared one would break other Erlang
# nodes. With SEED_NODE_NAME (--rabbitmq-nodes 3) the node registers with the seed's epmd instead and, once booted,
# joins the seed's cluster with rabbitmqctl join_cluster, as an operator would. HCS_ERLANG_COOKIE (the same for every
# node of a run) lets the nodes and rabbitmqctl talk. DIR/ready is written once the node is a ready member.
set -uo pipefail

dir=$1 amqp_port=$2 dist_port=$3 epmd_port=$4 node=$5 seed=${6:-}
ctl=/usr/lib/rabbitmq/bin/rabbitmqctl
server=/usr/lib/rabbitmq/bin/rabbitmq-server   # the /usr/sbin wrapper switches user and drops our environment
echo $$ > "$dir/wrapper.pid"
mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"

# No plugins: the broker boots faster, and the suite needs none (no delayed exchange: the services schedule in PostgreSQL).
printf '[].\n' > "$dir/enabled_plugins"
# A busy machine's disk or memory alarm must not stop publishes during a demo.
printf 'disk_free_limit.absolute = 50MB\nvm_memory_high_watermark.relative = 0.8\n' > "$dir/rabbitmq.conf"

export HOME="$dir/home"                       # the Erlang cookie is written here, not into the user's home
printf '%s' "$HCS_ERLANG_COOKIE" > "$HOME/.erlang.cookie" && chmod 400 "$HOME/.erlang.cookie"
export ERL_EPMD_PORT=$epmd_port ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_NODENAME="$node"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port
export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_LOGS=-   # logs to stdout: the dashboard shows them
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" RABBITMQ_PID_FILE="$dir/rabbitmq.pid"

epmd_pid= rabbit_pid= joiner=
stop() {
  trap '' TERM INT
  echo "stopping RabbitMQ"
  [ -n "$joiner" ] && pkill -TERM -P "$joiner" 2>/dev/null; [ -n "$joiner" ] && kill -TERM "$joiner" 2>/dev/null
  # rabbitmq-server's own TERM handler stops the Erlang VM cleanly; epmd goes last, once the node has unregistered.
  [ -n "$rabbit_pid" ] && kill -TERM "$rabbit_pid" 2>/dev/null && wait "$rabbit_pid"
  [ -n "$epmd_pid" ] && kill -TERM "$epmd_pid" 2>/dev/null && wait "$epmd_pid"
  rm -rf "$dir"
  echo "RabbitMQ stopped, data removed"
  exit 0
}
trap stop TERM INT

if [ -z "$seed" ]; then
  # -port/-address keep it private and on loopback; without -daemon it stays our child and dies with us.
  epmd -port "$epmd_port" -address 127.0.0.1 &
  epmd_pid=$!
  for _ in $(seq 1 100); do
    epmd -port "$epmd_port" -names >/dev/null 2>&1 && break
    sleep 0.05
  done
fi

"$server" &
rabbit_pid=$!
# In the background, so that a stop is not held up: `wait` returns once the node of the pid file has booted (its AMQP
# listener open); a fresh node then joins the seed's cluster.
(
  if "$ctl" -n "$node" wait "$RABBITMQ_PID_FILE" --timeout 120 >/dev/null \
    && { [ -z "$seed" ] || { echo "joining $seed"; "$ctl" -n "$node" stop_app && "$ctl" -n "$node" join_cluster "$seed" && "$ctl" -n "$node" start_app; }; }; then
    touch "$dir/ready"
  else
    echo "RabbitMQ node $node did not become ready${seed:+ in the cluster of $seed}"
  fi
) &
joiner=$!
wait "$rabbit_pid"
status=$?
echo "rabbitmq-server exited with $status"
[ -n "$epmd_pid" ] && kill -TERM "$epmd_pid" 2>/dev/null
rm -rf "$dir"
exit "$status"
