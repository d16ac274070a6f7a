#!/usr/bin/env bash
# Load harness of the MQTT connector (not part of the default build).
# Installs Mosquitto, mosquitto-clients and libmosquitto-dev if missing, builds the module's dependencies, then runs
# ConnectorLoadTest: C publisher (QoS 1) -> Mosquitto -> mosquitto_sub, -> bare Paho, -> connector (1 and N/message).
# Options as system properties, e.g.:  load/run-load.sh -Dload.messages=400000 -Dload.tags=20 -Dload.inflight=100
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$root/.ci/setup.d/mosquitto.sh"
cd "$here"
mvn -B -q -f "$root/bundles/api/pom.xml" install
mvn -B -q -f "$root/bundles/wrap.paho/pom.xml" install
mvn -B -Pload test "$@" | grep -E "LOAD RESULT|^  (raw|paho|conn)|connector (single|batch)|Tests run|ERROR|FAIL"
