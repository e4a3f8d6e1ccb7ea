#!/bin/bash
# Container healthcheck for Compose: the aspnet image ships no curl or wget, and adding one only for probes would
# grow every image. Bash's /dev/tcp does one HTTP/1.0 GET; healthy when the answer is 200.
# Usage: healthcheck [path]   (default /health/ready; the simulators answer on /health)
path=${1:-/health/ready}
exec 3<>"/dev/tcp/127.0.0.1/${HEALTHCHECK_PORT:-8080}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
read -r -t 5 _ status _ <&3 || exit 1
[ "$status" = 200 ]
