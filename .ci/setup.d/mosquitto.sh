#!/usr/bin/env bash
# Installs what the MQTT connector tests and load harness need from Debian:
#   mosquitto + mosquitto-clients (a real broker, started by the tests on a free 127.0.0.1 port with their own config),
#   libmosquitto-dev + gcc (the C load publisher of bundles/connector.mqtt/load/, only used by the load harness),
#   openssl (the TLS test makes a self-signed broker certificate).
# Idempotent and non-interactive; runs `apt-get update` only when something is missing.
set -euo pipefail
need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_sub >/dev/null 2>&1 || need+=(mosquitto-clients)
[ -f /usr/include/mosquitto.h ] || need+=(libmosquitto-dev)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v openssl >/dev/null 2>&1 || need+=(openssl)  # TLS test: a self-signed broker certificate
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# The Debian package enables a system broker on :1883; the tests never use it, so keep it from holding the port.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mosquitto 2>/dev/null; then
  systemctl stop mosquitto || true
fi
exit 0
