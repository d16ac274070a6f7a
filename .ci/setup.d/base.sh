#!/usr/bin/env bash
# Base prerequisites: a Java 17 JDK (javac too: the host tests compile a component class) and Maven 3.8+.
# Installs them from Debian when missing (CI runs as root with no stdin); idempotent.
set -euo pipefail

need_install=()
java_major() { java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if ! command -v javac >/dev/null 2>&1 || [ "$(java_major)" != "17" ]; then
  need_install+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null 2>&1 || need_install+=(maven)

if [ ${#need_install[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "base.sh: missing ${need_install[*]}; install them (as root: apt-get install ${need_install[*]})" >&2
    exit 1
  fi
  echo "base.sh: installing ${need_install[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

if [ "$(java_major)" != "17" ]; then
  echo "base.sh: java on PATH is $(java_major), BioTwin builds and tests on Java 17" >&2
  echo "         (select it with update-alternatives --config java, or set JAVA_HOME and PATH)" >&2
  exit 1
fi
echo "base.sh: Java $(java_major), $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
