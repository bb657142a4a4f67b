#!/bin/sh
# Installs redis-server for the shared rate budget's tests, when the machine has none (Debian/Ubuntu: apt-get).
# Elsewhere it says what to do instead. Used by the README's set-up command and by .ci/run.
set -e
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  echo "Redis: $(command -v redis-server) ($(redis-server --version | cut -d' ' -f3))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No redis-server found and no apt-get to install it: install Redis 6.2 or later (redis-server and redis-cli on the PATH)." >&2
  exit 1
fi
if [ "$(id -u)" = "0" ]; then run=""; else run="sudo"; fi
echo "Installing redis-server with apt-get (Debian's redis-server package)..."
$run apt-get update -qq
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq --no-install-recommends redis-server >/dev/null
echo "Redis: $(command -v redis-server)"
