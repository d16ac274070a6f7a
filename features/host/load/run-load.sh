#!/usr/bin/env bash
# Load harness of the reference host's data path (not part of the default build), see README.md next to this file.
# Installs Mosquitto, mosquitto-clients, libmosquitto-dev and gcc if missing (.ci/setup.d/mosquitto.sh), then runs
# HostLoadHarness: raw C publisher -> Mosquitto -> mosquitto_sub, side by side with the same publisher -> Mosquitto ->
# connector -> historian -> embedded QuestDB (1 sample per message, then batches), with p50/p99 publish-to-SQL latency.
# Options as system properties, e.g.:  features/host/load/run-load.sh -Dload.messages=400000 -Dload.tags=20
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$root/.ci/setup.d/mosquitto.sh"
mvn -B -f "$here/pom.xml" -Pload verify "$@" | grep --line-buffered -E "LOAD RESULT|^warm-up|^cpu |^  (raw|host)|^host (single|batch)|Tests run|ERROR|FAIL"
