#!/usr/bin/env bash
# Installs what the web panel's browser tests (bundles/ui.web, BrowserIT) need from Debian:
#   chromium + chromium-driver (headless Chromium driven by Selenium through the system chromedriver).
# Idempotent and non-interactive; runs `apt-get update` only when something is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# fonts-liberation gives the screenshots readable text (Chromium falls back to it for sans-serif).
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium.sh: missing ${need[*]}; install them as root (apt-get install ${need[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
echo "chromium.sh: $(chromium --version 2>/dev/null || echo 'chromium ?'), $(chromedriver --version 2>/dev/null | head -1 || echo 'chromedriver ?')"
