#!/bin/sh
# Releases a CHO model bundle with its validation evidence: builds the reference batch (make-reference-batch.sh),
# validates the jar with the model CLI (a FAIL verdict exits non-zero), and embeds the passed report with the
# EvidenceTool into OUT.jar. QA then approves OUT.jar's content digest in the host (bundles/lifecycle/README.md).
# usage: release-model.sh TOOLS_DIR MODEL.jar BATCH_ID BOLUS_L BOLUS_GLC_mM BOLUS_GLN_mM REFERENCE.csv OUT.jar [DAYS]
#   TOOLS_DIR holds biotwin-model-cli-all.jar, org.biotwin.lifecycle.jar, jackson-{core,databind,annotations}.jar
set -eu
[ $# -ge 8 ] || { echo "usage: $0 TOOLS_DIR MODEL.jar BATCH_ID BOLUS_L BOLUS_GLC BOLUS_GLN REFERENCE.csv OUT.jar [DAYS]" >&2; exit 2; }
TOOLS=$1; JAR=$2; OUT=$8; DAYS=${9:-365}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(dirname "$TOOLS")/work/$(basename "$OUT" .jar)
mkdir -p "$WORK"
sh "$HERE/make-reference-batch.sh" "$3" "$4" "$5" "$6" "$7" > "$WORK/reference-batch.csv"
java -jar "$TOOLS/biotwin-model-cli-all.jar" validate --model "$JAR" --data "$WORK/reference-batch.csv" \
    --limits "$HERE/limits.csv" --out "$WORK/validation-report.json" --text "$WORK/validation-report.txt"
CP="$TOOLS/org.biotwin.lifecycle.jar:$TOOLS/jackson-core.jar:$TOOLS/jackson-databind.jar:$TOOLS/jackson-annotations.jar"
java -cp "$CP" org.biotwin.lifecycle.internal.EvidenceTool embed --jar "$JAR" --report "$WORK/validation-report.json" \
    --out "$OUT" --valid-days "$DAYS"
chmod 644 "$OUT"
