#!/usr/bin/env bash
# Makes a fresh, random set of the secrets deploy/ needs, in files git ignores; it never overwrites one that exists
# (losing the key ring certificate makes the stored credentials unreadable, see docs/security.md).
#
#   bash deploy/make-secrets.sh compose   # deploy/.env and deploy/secrets/*.pfx   (docker compose)
#   bash deploy/make-secrets.sh k8s       # deploy/k8s/secrets/*                   (kubectl apply -k deploy/k8s)
#
# Nothing here is a default: every run draws new values (openssl rand), and the certificates are self-signed, made
# for this deployment only. Keep the files with your other secrets (a vault, a sealed-secrets repository...).
# Needs bash and openssl.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:-}
umask 077   # the secrets are readable by their owner only...

SERVICES=(jobtracker smartaccountsync chpa clusterassign)   # the four that use PostgreSQL and RabbitMQ; Identity uses PostgreSQL

secret() { openssl rand -hex 24; }   # 48 characters from [0-9a-f]: fits URLs and connection strings as they are

# certificate FILE KEY_USAGE SUBJECT [PASSWORD]: a self-signed RSA certificate with its key as PKCS#12.
certificate() {
  local file=$1 usage=$2 subject=$3 password=${4:-} work
  [ -e "$file" ] && { echo "kept $file"; return; }
  work=$(mktemp -d)
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=$subject" -addext "keyUsage=critical,$usage" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -out "$file" -passout "pass:$password"
  rm -rf "$work"
  chmod 644 "$file"   # ...except the .pfx files the containers read: they run as uid 1654, not as you
  echo "made $file"
}

# write FILE: stdin to FILE unless FILE exists.
write() {
  if [ -e "$1" ]; then echo "kept $1"; cat >/dev/null; else cat >"$1"; echo "made $1"; fi
}

case "$target" in
  compose)
    mkdir -p secrets
    if [ -e secrets/keyring.pfx ] && [ ! -e .env ]; then
      echo "secrets/keyring.pfx exists but .env (with its password) does not: restore .env, or move the file away" >&2; exit 1
    fi
    certificate secrets/keyring.pfx keyEncipherment hcs-keyring "${keyring_password:=$(secret)}"
    certificate secrets/identity-signing.pfx digitalSignature "HcsLicensing.Identity signing"
    certificate secrets/identity-encryption.pfx keyEncipherment "HcsLicensing.Identity encryption"
    {
      echo "# Made by deploy/make-secrets.sh on $(date -u +%F): secrets of this deployment only (see .env.example)."
      echo "POSTGRES_ADMIN_USER=hcs_admin"
      echo "POSTGRES_ADMIN_PASSWORD=$(secret)"
      echo "RABBITMQ_ADMIN_USER=hcs_admin"
      echo "RABBITMQ_ADMIN_PASSWORD=$(secret)"
      echo "IDENTITY_DB_PASSWORD=$(secret)"
      for service in "${SERVICES[@]}"; do
        echo "${service^^}_DB_PASSWORD=$(secret)"
        echo "${service^^}_RABBITMQ_PASSWORD=$(secret)"
      done
      echo "KEYRING_CERTIFICATE_FILE=./secrets/keyring.pfx"
      echo "KEYRING_CERTIFICATE_PASSWORD=$keyring_password"
      echo "IDENTITY_SIGNING_CERTIFICATE_FILE=./secrets/identity-signing.pfx"
      echo "IDENTITY_ENCRYPTION_CERTIFICATE_FILE=./secrets/identity-encryption.pfx"
      echo "HCS_ADMIN_CLIENT_ID=hcs-admin-$(openssl rand -hex 4)"
      echo "HCS_ADMIN_CLIENT_SECRET=$(secret)"
      echo "HCS_OPERATOR_USER=operator"
      echo "HCS_OPERATOR_PASSWORD=$(secret)"
      echo "DASHBOARD_BROWSER_TOKEN=$(secret)"
      echo "DASHBOARD_OTLP_API_KEY=$(secret)"
    } | write .env
    ;;
  k8s)
    mkdir -p k8s/secrets
    if [ -e k8s/secrets/keyring.pfx ] && [ ! -e k8s/secrets/keyring-password ]; then
      echo "k8s/secrets/keyring.pfx exists without keyring-password: restore it, or move the file away" >&2; exit 1
    fi
    certificate k8s/secrets/keyring.pfx keyEncipherment hcs-keyring "${keyring_password:=$(secret)}"
    printf '%s' "$keyring_password" | write k8s/secrets/keyring-password
    certificate k8s/secrets/identity-signing.pfx digitalSignature "HcsLicensing.Identity signing"
    certificate k8s/secrets/identity-encryption.pfx keyEncipherment "HcsLicensing.Identity encryption"
    printf 'username=hcs_admin\npassword=%s\n' "$(secret)" | write k8s/secrets/postgres-admin.env
    printf 'db-password=%s\n' "$(secret)" | write k8s/secrets/identity.env
    for service in "${SERVICES[@]}"; do
      printf 'db-password=%s\nrabbitmq-password=%s\n' "$(secret)" "$(secret)" | write "k8s/secrets/$service.env"
    done
    printf 'client-id=hcs-admin-%s\nclient-secret=%s\n' "$(openssl rand -hex 4)" "$(secret)" | write k8s/secrets/identity-client.env
    printf 'user-name=operator\npassword=%s\n' "$(secret)" | write k8s/secrets/identity-operator.env
    printf 'browser-token=%s\notlp-api-key=%s\n' "$(secret)" "$(secret)" | write k8s/secrets/dashboard.env
    ;;
  *)
    echo "usage: bash deploy/make-secrets.sh compose|k8s" >&2
    exit 2
    ;;
esac
