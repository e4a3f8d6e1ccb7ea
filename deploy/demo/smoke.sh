#!/usr/bin/env bash
# Runs README's first command as a person would and checks what it promises (docs/run.md, "How it was verified"):
#   bash deploy/demo/smoke.sh [--fresh-clone] [-- extra dotnet run arguments]
# 1. `dotnet run --project deploy/HcsLicensing.AppHost` in a process group of its own (with --fresh-clone: in a new
#    clone of this repository's HEAD in a temp directory, so the build is included and no local state can help);
# 2. waits for the demo's "Demo done" line and prints the time since the command;
# 3. sends SIGINT to the process group, exactly what Ctrl-C in a terminal does, and times the stop;
# 4. checks that no process of the run is left (the AppHost, the orchestrator, the dashboard, the services and
#    simulators, the server scripts, postgres, beam, epmd), that no port of the run still listens, and that no
#    hcs-run-* data directory is left. Processes of other runs on the machine are never looked at or touched.
# Exit code 0 when all holds.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
fresh=false
if [ "${1:-}" = "--fresh-clone" ]; then fresh=true; shift; fi
[ "${1:-}" = "--" ] && shift

work=$(mktemp -d /tmp/hcs-smoke-XXXXXX)
log="$work/run.log"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

if $fresh; then
  git clone -q "$repo" "$work/clone" || exit 1
  dir="$work/clone"
  echo "fresh clone of $(git -C "$repo" rev-parse --short HEAD) in $dir"
else
  dir=$repo
fi

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
started=$(now)
# setsid: the run gets a process group of its own, like a terminal's foreground job, so that SIGINT reaches exactly it.
(cd "$dir" && exec setsid dotnet run --project deploy/HcsLicensing.AppHost "$@" >"$log" 2>&1) &
runner=$!
sleep 1
pgid=$(ps -o pgid= -p "$runner" | tr -d ' ')

done_at=
for _ in $(seq 1 1200); do
  if grep -aq "Demo done\|The demo stopped\|Cannot start the suite" "$log"; then done_at=$(now); break; fi
  kill -0 "$runner" 2>/dev/null || break
  sleep 0.5
done
sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$log" | grep -a -E "^demo |^  [A-Za-z]" || true
if [ -z "$done_at" ]; then
  echo "FAIL: no end of the demo within 10 minutes"; tail -40 "$log"; kill -INT -- "-$pgid" 2>/dev/null; exit 1
fi
echo "command to end of demo: $(seconds "$started" "$done_at") s"

# Everything the run started: the AppHost (child of dotnet run), the orchestrator's processes (which watch the
# AppHost's pid) and all their descendants. Recorded with start times, so that a reused pid is not mistaken for one.
apphost=$(pgrep -g "$pgid" -f "bin/.*/HcsLicensing.AppHost( |$)" | head -1)
descendants() {
  local frontier=("$@") all=("$@")
  while [ ${#frontier[@]} -gt 0 ]; do
    local next=()
    for p in "${frontier[@]}"; do
      for c in $(pgrep -P "$p"); do next+=("$c"); all+=("$c"); done
    done
    frontier=("${next[@]}")
  done
  echo "${all[@]}"
}
roots=("$runner" "$apphost" $(pgrep -f -- "--monitor $apphost( |$)"))
family=$(descendants "${roots[@]}")
snapshot=$(for p in $family; do echo "$p $(ps -o lstart= -p "$p" 2>/dev/null | tr -s ' ') :: $(ps -o args= -p "$p" 2>/dev/null | cut -c1-110)"; done | sort -u)
# The orchestrator's own state: its kubeconfig directory and notification socket, which it removes when it exits.
dcp_state=$(for p in $family; do tr '\0' '\n' < "/proc/$p/cmdline" 2>/dev/null | grep -A1 -E '^--(kubeconfig|notification-socket)$' | grep -v '^--'; done | sed 's|/kubeconfig$||' | sort -u | tr '\n' ' ')
ports=$(for p in $family; do ss -ltnpH 2>/dev/null | grep "pid=$p," | awk '{print $4}' | sed 's/.*://'; done | sort -un | tr '\n' ' ')
echo "the run: $(echo "$snapshot" | wc -l) processes, listening on ports: $ports"
echo "  the orchestrator's state: $dcp_state"

stop_at=$(now)
kill -INT -- "-$pgid"
wait "$runner"
status=$?
exited_at=$(now)
echo "Ctrl-C (SIGINT to the process group) to exit of the command: $(seconds "$stop_at" "$exited_at") s, exit code $status"
sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$log" | grep -a -A1 "OrderedShutdown" | grep -av OrderedShutdown || true

left_processes() {
  echo "$snapshot" | while read -r pid rest; do
    [ -n "$pid" ] || continue
    started_then=${rest%% :: *}
    if [ -d "/proc/$pid" ] && [ "$(ps -o lstart= -p "$pid" 2>/dev/null | tr -s ' ')" = "$started_then" ]; then
      echo "  $pid ${rest#* :: }"
    fi
  done
}
left_ports() { for port in $ports; do ss -ltnH "sport = :$port" | grep -q . && echo "  port $port"; done; }
left_dirs() {
  ls -d /tmp/hcs-run-* 2>/dev/null | while read -r d; do [ "${d#/tmp/hcs-run-}" != "${d#/tmp/hcs-run-$apphost-}" ] && echo "  $d"; done
  for f in $dcp_state; do [ -e "$f" ] && echo "  $f"; done
}

# The command returns when the AppHost exits; the orchestrator then ends what is left within moments.
for wait_s in 0 1 2 5 10; do
  sleep "$wait_s"
  procs=$(left_processes); open=$(left_ports); dirs=$(left_dirs)
  [ -z "$procs$open$dirs" ] && break
  echo "still there $(seconds "$exited_at" "$(now)") s after the command exited:"; printf "%s\n" "$procs" "$open" "$dirs" | grep . | head -20
done
checked_at=$(now)
if [ -n "$procs$open$dirs" ]; then
  echo "FAIL: left behind $(seconds "$exited_at" "$checked_at") s after the command exited:"
  [ -n "$procs" ] && echo "$procs"
  [ -n "$open" ] && echo "$open"
  [ -n "$dirs" ] && echo "$dirs"
  exit 1
fi
echo "OK: nothing of the run left (no process, no listening port, no data directory, no orchestrator state) $(seconds "$exited_at" "$checked_at") s after the command exited"
