#!/usr/bin/env bash
# Runs every test of the suite against real RabbitMQ and PostgreSQL, then prints one closing line
# "N passed, N failed, N skipped". Where the servers come from is the test bed's choice:
# HCS_TEST_RABBITMQ + HCS_TEST_POSTGRES if set, else containers if a Docker engine answers, else
# private local servers (rabbitmq-server, initdb/postgres) that each test assembly starts and removes.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Scheduling).
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test HcsLicensing.sln --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly ends with "Total tests: N" and then "Passed: P", "Failed: F", "Skipped: S" lines (those with
# a zero count are left out); add them up over the assemblies.
totals=$(grep -E '^ *(Passed|Failed|Skipped): [0-9]+ *$' "$log" \
  | awk '/Passed:/ {p+=$2} /Failed:/ {f+=$2} /Skipped:/ {s+=$2} END {printf "%d passed, %d failed, %d skipped", p, f, s}')
# Name the failed tests last, where a CI summary that keeps only the tail still shows them.
failed=$(grep -E '^ *Failed [^ ]+ \[' "$log" | sed -E 's/^ *Failed ([^ ]+) .*/\1/' | sort -u)
if [ -n "$failed" ]; then
  echo
  echo "Failed tests:"
  echo "$failed" | sed 's/^/  /'
fi
echo
echo "${totals:-0 passed, 0 failed, 0 skipped}"
exit "$status"
