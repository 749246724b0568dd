#!/usr/bin/env bash
# Installs what seig needs on a Debian/Ubuntu machine: Blender, bubblewrap (the sandbox),
# ffmpeg (turntable videos), and the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v blender >/dev/null || missing+=(blender)
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v prlimit >/dev/null || missing+=(util-linux)
command -v redis-server >/dev/null || missing+=(redis-server) # the job queue's tests (docs/distributed.md)
# Headless Chromium for the web app's end-to-end test (driven by playwright-core).
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "seig setup: installing ${missing[*]} from Debian" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
