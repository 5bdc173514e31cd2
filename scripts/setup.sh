#!/usr/bin/env bash
# Installs everything the tests use on a clean Debian/Ubuntu machine: the real judges (promtool from
# `prometheus`, protoc + well-known protos from `protobuf-compiler`/`libprotobuf-dev`) and npm deps
# (buf ships its binary in @bufbuild/buf). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
[ -f /usr/include/google/protobuf/timestamp.proto ] || need+=(libprotobuf-dev)
# python3 (with the system time-zone database) judges the date readings (test/dsl/dates-python.test.ts).
command -v python3 >/dev/null 2>&1 || need+=(python3)
[ -f /usr/share/zoneinfo/Europe/Paris ] || need+=(tzdata)
# The JDK runs the ingest pipeline's Painless (test/es-conformance) and Druid's own libraries (test/druid-conformance).
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
for pkg in libprotobuf-java libjsonpath-java libjoda-time-java libgoogle-gson-java libguava-java; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# `npm install`, not `npm ci`: the registry mirror lacks buf's binaries for other platforms, which npm ci
# insists on finding in the lock file; npm install skips absent optional packages. It also runs
# `prepare`, which compiles the CLI into dist/.
npm install --no-audit --no-fund
