#!/usr/bin/env bash
# Installs (apt-get, when missing) and starts a local Redis server on 127.0.0.1:6379 for `make cluster-test`
# and CI. Needs root to install. Listens on the loopback address only, keeps nothing on disk.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
fi
for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis did not start" >&2; exit 1; }
echo "Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2) ready"
