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
# The JDK compiles and runs the ingest pipeline's Painless (Java-compatible) in test/es-conformance.
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
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
