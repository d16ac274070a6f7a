#!/bin/sh
# Not part of CI. Model bundles: SciPy is needed only to REGENERATE the reference trajectories (bundles/models.*/reference/*.py);
# the Maven tests read the committed CSVs and need nothing from Debian. Idempotent, non-interactive.
set -e
if ! /usr/bin/python3 -c "import scipy" >/dev/null 2>&1; then
  if ! apt-cache show python3-scipy >/dev/null 2>&1; then apt-get update; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3-scipy
fi
