#!/usr/bin/env bash
# Starts a private Docker engine (no iptables, no bridge) on its own socket and
# data root, as the tests do, to prove the machine can run one.
#   scripts/docker-engine.sh check   start, ping, stop
set -euo pipefail
case "${1:-check}" in
  check)
    command -v dockerd >/dev/null || { echo "dockerd is not installed (Debian: apt-get install docker.io)" >&2; exit 1; }
    dir=$(mktemp -d /tmp/cac-dk-check-XXXX)
    dockerd --iptables=false --bridge=none -H "unix://$dir/docker.sock" --data-root "$dir/root" \
      --exec-root "$dir/exec" --pidfile "$dir/docker.pid" >"$dir/log" 2>&1 &
    pid=$!
    trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
    for _ in $(seq 60); do
      if /usr/bin/docker -H "unix://$dir/docker.sock" version --format '{{.Server.Version}}' >"$dir/version" 2>/dev/null; then
        echo "Docker engine $(cat "$dir/version") starts on this machine."
        exit 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    echo "A Docker engine could not start here:" >&2
    tail -n 20 "$dir/log" >&2
    exit 1
    ;;
  *)
    echo "usage: $0 check" >&2
    exit 2
    ;;
esac
