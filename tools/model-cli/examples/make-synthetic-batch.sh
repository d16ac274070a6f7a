#!/usr/bin/env bash
# Makes a synthetic "measured" CHO batch for the worked example: the reference schedule simulated by the CLI at
# perturbed "true" parameters, sampled every 12 h, plus seeded Gaussian noise (5 % of the value, awk's srand(SEED)).
# Usage: make-synthetic-batch.sh CLI_JAR MODEL_JAR SCHEDULE.csv BATCH_ID SEED OUT.csv
set -euo pipefail
cli=$1 model=$2 schedule=$3 id=$4 seed=$5 out=$6
traj=$(mktemp)
java -jar "$cli" simulate --model "$model" --schedule "$schedule" --end 336 --step 12 \
    --param mu_max=0.031 --param q_mAb=1.3 --param k_d=0.014 --out "$traj" 2>/dev/null
{
  grep -v '^#' "$schedule" | sed "s/^[^,]*,\(init\|input\|bolus\|withdrawal\),/$id,\1,/"
  awk -F, -v id="$id" -v seed="$seed" '
    NR == 1 { for (i = 1; i <= NF; i++) { split($i, a, "["); col[a[1]] = i; unit[a[1]] = substr(a[2], 1, length(a[2]) - 1) }; srand(seed); next }
    function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
    $1 > 0 {
      n = split("VCD glucose lactate titre", v, " ")
      for (j = 1; j <= n; j++) {
        x = $(col[v[j]]); sd = 0.05 * x; if (sd < 0.01) sd = 0.01
        printf "%s,meas,%s,%s,%.6g,%.4g,%s\n", id, $1, v[j], x + sd * gauss(), sd, unit[v[j]]
      }
    }' "$traj"
} > "$out"
rm -f "$traj"
