#!/usr/bin/env bash
# Installs what seig needs on a Debian/Ubuntu machine: Blender with the Python modules its
# worker imports, bubblewrap (the sandbox), ffmpeg (turntable videos), and the npm packages.
# Safe to run again: it installs only the Debian packages that are not installed yet.
# Node.js ≥ 20.9 with npm is a prerequisite, not installed here.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every Debian package seig needs, and why. test/setup-packages.test.ts checks that each
# Python module imported under src/blender/python is either Blender's own, the standard
# library, or provided by a package listed here.
packages=(
  blender       # renders every scene (≥ 3.4; Debian 12 ships 3.4.1)
  python3-numpy # imported by the worker's fingerprint.py (and Cycles, glTF export); Debian's blender does not depend on it
  bubblewrap    # the OS sandbox around generated scene programs
  ffmpeg        # turntable GIF/MP4 for `seig views`
  util-linux    # prlimit: the workers' memory limit
  redis-server  # the job queue's tests (docs/distributed.md)
  python3-seccomp # the sandbox's syscall filter (compiled at pool start)
  chromium      # headless browser for the web app's end-to-end test (playwright-core)
)

if ! command -v dpkg-query >/dev/null; then
  echo "seig setup: dpkg-query not found: this script installs Debian packages; on other systems install ${packages[*]} (or their equivalents) yourself, then run npm ci" >&2
  exit 1
fi

# The package's dpkg status, not `command -v`: a blender binary on PATH says nothing about
# whether its Python can import numpy, and a removed package can leave its binary behind.
is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing=()
for pkg in "${packages[@]}"; do is_installed "$pkg" || missing+=("$pkg"); done

if [ ${#missing[@]} -gt 0 ]; then
  echo "seig setup: installing ${missing[*]} from Debian" >&2
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "seig setup: ${missing[*]} missing and not root (no sudo): run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # apt-get can succeed without installing a package (held, or provided virtually): check again.
  for pkg in "${missing[@]}"; do
    is_installed "$pkg" || {
      echo "seig setup: $pkg is still not installed after apt-get install" >&2
      exit 1
    }
  done
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
