#!/bin/sh
# One RabbitMQ user per service, allowed on the suite's vhost only, through the management HTTP API with the
# administrator's credentials (which no service holds); the default `guest` user is deleted if it exists.
# Idempotent: runs at every `docker compose up` (service rabbitmq-init) and as the Kubernetes Job rabbitmq-init, so a
# changed password in the secrets is applied by running it again. Kept identical to the copy in k8s/rabbitmq.yaml
# (deploy/validate.py compares them).
#
# Environment: RABBITMQ_API (e.g. http://rabbitmq:15672), RABBITMQ_ADMIN_USER, RABBITMQ_ADMIN_PASSWORD, RABBITMQ_VHOST
# (the suite's vhost, the path of every ConnectionStrings__RabbitMq) and, per service, <SERVICE>_RABBITMQ_PASSWORD:
# letters, digits, '-' and '_', at least 16 characters (they go into amqp:// URLs).
set -eu

# The services that use the broker (Identity does not). Each user is named after its service.
SERVICES="jobtracker smartaccountsync chpa clusterassign"
: "${RABBITMQ_API:?}" "${RABBITMQ_ADMIN_USER:?}" "${RABBITMQ_ADMIN_PASSWORD:?}" "${RABBITMQ_VHOST:?}"

password_of() {
  variable=$(echo "$1" | tr a-z A-Z)_RABBITMQ_PASSWORD
  eval "password=\${$variable:-}"
  case "$password" in
    "") echo "rabbitmq-init: $variable is not set" >&2; return 1 ;;
    *[!A-Za-z0-9_-]*) echo "rabbitmq-init: $variable may hold only letters, digits, '-' and '_'" >&2; return 1 ;;
  esac
  if [ "${#password}" -lt 16 ]; then echo "rabbitmq-init: $variable is shorter than 16 characters" >&2; return 1; fi
}

for service in $SERVICES; do password_of "$service"; done
case "$RABBITMQ_VHOST" in *[!A-Za-z0-9_-]*) echo "rabbitmq-init: RABBITMQ_VHOST may hold only letters, digits, '-' and '_'" >&2; exit 1 ;; esac

# curl reads the administrator's credentials from stdin (-K -), so they never appear in a process list.
api() { # method path [json]
  printf 'user = "%s:%s"\n' "$RABBITMQ_ADMIN_USER" "$RABBITMQ_ADMIN_PASSWORD" |
    curl -sS -K - -o /dev/null -w '%{http_code}' -X "$1" -H 'content-type: application/json' ${3:+--data "$3"} "$RABBITMQ_API/api/$2"
}
must() { # method path [json]: 2xx or fail
  status=$(api "$@") || status=000
  case "$status" in 2??) ;; *) echo "rabbitmq-init: $1 /api/$2 answered $status" >&2; exit 1 ;; esac
}

# The broker may still be starting (the Kubernetes Job starts beside it).
tries=0
until status=$(api GET overview 2>/dev/null) && [ "$status" = 200 ]; do
  if [ "$status" = 401 ]; then echo "rabbitmq-init: the administrator's credentials were refused" >&2; exit 1; fi
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then echo "rabbitmq-init: the management API at $RABBITMQ_API did not answer" >&2; exit 1; fi
  sleep 2
done

must PUT "vhosts/$RABBITMQ_VHOST" '{"description":"HcsLicensing"}'
for service in $SERVICES; do
  password_of "$service"
  # No tags: the services speak AMQP only (error queues too), never the management UI or API.
  must PUT "users/$service" "{\"password\":\"$password\",\"tags\":\"\"}"
  # MassTransit declares its exchanges and queues itself (and each service publishes to the others' exchanges), so
  # every service needs configure/write/read on the vhost; no other vhost is open to it.
  must PUT "permissions/$RABBITMQ_VHOST/$service" '{"configure":".*","write":".*","read":".*"}'
  echo "rabbitmq-init: user $service ready on vhost $RABBITMQ_VHOST"
done

status=$(api DELETE users/guest)
case "$status" in 2??) echo "rabbitmq-init: deleted the guest user" ;; 404) ;; *) echo "rabbitmq-init: DELETE guest answered $status" >&2; exit 1 ;; esac
