#!/usr/bin/env bash
# Display for the SWT panel tests (bundles/ui.swt): Xvfb, the GTK 3 runtime SWT 3.132 links against, fonts so text
# renders, and xwininfo/ImageMagick's import for checking and capturing windows. Idempotent, non-interactive; runs
# apt-get update only when something is missing.
set -euo pipefail

# command or library -> Debian package
need_install=()
command -v Xvfb >/dev/null 2>&1 || need_install+=(xvfb)
command -v xwininfo >/dev/null 2>&1 || need_install+=(x11-utils)
command -v import >/dev/null 2>&1 || need_install+=(imagemagick)
dpkg -s libgtk-3-0 >/dev/null 2>&1 || dpkg -s libgtk-3-0t64 >/dev/null 2>&1 || need_install+=(libgtk-3-0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_install+=(fonts-dejavu-core)
# GTK warns loudly (and some themes fail) without the icon theme and the accessibility bridge
dpkg -s adwaita-icon-theme >/dev/null 2>&1 || need_install+=(adwaita-icon-theme)
dpkg -s at-spi2-core >/dev/null 2>&1 || need_install+=(at-spi2-core)

if [ ${#need_install[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "xvfb.sh: missing ${need_install[*]}; install them (as root: apt-get install ${need_install[*]})" >&2
    exit 1
  fi
  echo "xvfb.sh: installing ${need_install[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_install[@]}" >/dev/null
fi
echo "xvfb.sh: $(command -v Xvfb), GTK $(dpkg-query -W -f='${Version}' libgtk-3-0 2>/dev/null || dpkg-query -W -f='${Version}' libgtk-3-0t64)"
