#!/bin/sh
# Installs Chromium for the browser check and its tests, when the machine has none (Debian/Ubuntu: apt-get).
# Elsewhere it says what to do instead. Used by the README's set-up command and by .ci/run.
set -e
for candidate in "$CHROME_PATH" chromium chromium-browser google-chrome google-chrome-stable; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
    echo "Chromium: $(command -v "$candidate")"
    exit 0
  fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No Chromium found and no apt-get to install it: install Chromium or Google Chrome, or set CHROME_PATH to one." >&2
  exit 1
fi
if [ "$(id -u)" = "0" ]; then run=""; else run="sudo"; fi
echo "Installing Chromium with apt-get (Debian's chromium package)..."
$run apt-get update -qq
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq chromium >/dev/null
echo "Chromium: $(command -v chromium)"
