#!/usr/bin/env bash
# Brings a clone to a runnable state: installs the npm workspace (which pins Node 24 for every npm
# script) when node_modules is missing or older than package-lock.json, and with --test also the
# Debian packages the integration and browser tests drive. Safe to run again; it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package providing it
declare -A tools=()
case "${1:-}" in
  --test) tools=([mosquitto_pub]=mosquitto-clients [chromium]=chromium [socat]=socat) ;;
  --bench) tools=([mosquitto_pub]=mosquitto-clients [mosquitto]=mosquitto [psql]=postgresql-client) ;;
esac

stamp=node_modules/.touchline-installed
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  echo "setup: installing npm packages (first run takes a few minutes)..." >&2
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  touch "$stamp"
fi

if ((${#tools[@]})); then
  missing=()
  for cmd in "${!tools[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || [[ -x "/usr/sbin/$cmd" ]] || missing+=("${tools[$cmd]}")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "setup: installing Debian packages: ${missing[*]}" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: the tests need these Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
      exit 1
    fi
  fi
fi
