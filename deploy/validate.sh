#!/usr/bin/env bash
# Checks deploy/ without a Docker engine or a cluster (see deploy/README.md for what that leaves unchecked):
#   1. validate.py: YAML, Dockerfile + ignore file, Compose structure, Kubernetes manifests (rendered with
#      `kubectl kustomize` when kubectl is installed), and Compose/Kubernetes kept in step;
#   2. Compose's own model check (`docker compose config`, which needs no engine), when a Compose CLI is installed:
#      it must refuse .env.example (no secrets) and accept a set make-secrets.sh draws.
# With --publish it also runs the Dockerfile's build step (dotnet publish -c Release) for every image, on a copy
# of exactly the files the build context would hold, which is what a missing file or a Release-only warning breaks.
# Exit status: non-zero on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s%N)
step() { printf '\n== %s\n' "$*"; }

step "validate.py"
python3 deploy/validate.py

step "compose config"
# Compose's own check, twice: with .env.example as it is (empty secrets) Compose must refuse; with a set that
# make-secrets.sh draws in a temp directory (never a developer's deploy/.env: CI sees the same) it must accept.
secrets_dir=$(mktemp -d)
trap 'rm -rf "$secrets_dir"' EXIT
cp deploy/make-secrets.sh "$secrets_dir/" && bash "$secrets_dir/make-secrets.sh" compose >/dev/null
sed -i "s|=\./secrets/|=$secrets_dir/secrets/|" "$secrets_dir/.env"
compose_config() { # env-file
  if docker compose version >/dev/null 2>&1; then
    docker compose --env-file "$1" -f deploy/docker-compose.yml config -q
  else
    # Compose v1 predates the top-level `name:`; check the rest of the file against its schema.
    grep -v '^name:' deploy/docker-compose.yml | docker-compose --project-directory deploy --env-file "$1" -f - config -q
  fi
}
if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then
  if compose_config deploy/.env.example 2>/dev/null; then
    echo "docker compose config accepted .env.example's empty secrets" >&2; exit 1
  fi
  echo "compose config: refuses .env.example (no secret set)"
  compose_config "$secrets_dir/.env"
  echo "compose config: valid with make-secrets.sh's set"
else
  echo "skipped: no Compose CLI installed"
fi

if [ "${1:-}" = "--publish" ]; then
  step "dotnet publish of every image's project, from the build context only"
  context=$(mktemp -d)
  trap 'rm -rf "$context" "$secrets_dir"' EXIT
  python3 deploy/validate.py --context-files | tar -cf - -T - | tar -xf - -C "$context"
  for project in $(sed -n 's/^ *PROJECT: //p' deploy/docker-compose.yml); do
    csproj=$(cd "$context" && ls services/"$project"/"$project".csproj simulators/"$project"/"$project".csproj 2>/dev/null || true)
    [ -n "$csproj" ] || { echo "no project named $project" >&2; exit 1; }
    echo "-- $project"
    (cd "$context" && dotnet publish "$csproj" -c Release -o "$context/out/$project" -p:UseAppHost=false -nologo -v quiet)
    [ -f "$context/out/$project/$project.dll" ] || { echo "$project.dll was not published" >&2; exit 1; }
  done
fi

elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
printf '\nvalidate.sh: passed in %d.%01d s\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
