#!/usr/bin/env bash
# Debian's InfluxDB 1.6.7 for the historian's InfluxQL read test (bundles/historian.influxdb, InfluxQlReadTest).
# The test starts and stops its own influxd on 127.0.0.1 ports with a private config and data directory; the
# package's system service is never used (stopped below if the package started it).
# Idempotent and non-interactive; runs `apt-get update` only when the package is not yet known.
set -euo pipefail
if ! command -v influxd >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy influxdb 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update -qq -o DPkg::Lock::Timeout=600
  fi
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 influxdb >/dev/null
fi
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet influxdb 2>/dev/null; then
  systemctl stop influxdb || true
fi
command -v influxd
exit 0
