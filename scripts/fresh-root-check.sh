#!/usr/bin/env bash
# Fresh-root check (issue 11): proves that the README's set-up command turns a bare Debian 12
# machine into one where `seig doctor` is green and a reconstruction runs. It builds a
# minimal root with debootstrap in a new temporary folder (nothing cached between runs),
# copies the project in (tracked files only, no node_modules), runs `bash scripts/setup.sh`,
# `seig doctor` and a tiny offline reconstruction inside it (its own mount namespace, pivot_root), and fails if any fails.
# Node.js is an environment prerequisite, so the host's node and npm are copied in; so is
# the host's network trust (NODE_EXTRA_CA_CERTS, resolv.conf, proxy variables).
# Needs root. See docs/fresh-root.md.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
suite=bookworm
started=$SECONDS

say() { echo "fresh-root: $*" >&2; }
die() {
  say "FAILED: $*"
  exit 1
}

command -v node >/dev/null && command -v npm >/dev/null || {
  echo "fresh-root: node and npm not found: Node.js ≥ 20.9 is a prerequisite" >&2
  exit 2
}
[ "$(id -u)" -eq 0 ] || {
  echo "fresh-root: needs root (debootstrap, chroot, mounts): sudo bash scripts/fresh-root-check.sh" >&2
  exit 2
}

# The Debian mirror this machine's apt uses (deb822 .sources first, then one-line .list).
host_mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
  [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed 's/\[[^]]*\]//' | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
mirror=${SEIG_DEBIAN_MIRROR:-$(host_mirror)}

# On disk, not a tmpfs: the root grows to about 3 GB.
work=$(mktemp -d "${SEIG_FRESH_ROOT_DIR:-/var/tmp}/seig-fresh-root.XXXXXX")
root=$work/root

mounts_under_root() { awk -v r="$root" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts; }

current="" # the step running now, for the EXIT trap
failed=()  # checks that failed (doctor, reconstruct)

# Runs on every exit: stop what we started inside the root, unmount everything, delete.
cleanup() {
  local status=$?
  set +e # every line below must run, whatever fails
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -KILL "$pid" 2>/dev/null
  done
  if [ -n "$(mounts_under_root)" ]; then umount -R "$root" 2>/dev/null || umount -R -l "$root" 2>/dev/null || true; fi
  if [ -n "$(mounts_under_root)" ]; then
    say "could not unmount $(mounts_under_root | tr '\n' ' '); left $work in place"
  else
    rm -rf --one-file-system "$work"
  fi
  [ -z "$current" ] || say "$current: FAILED"
  say "total $((SECONDS - started)) s ($([ $status -eq 0 ] && echo passed || echo FAILED))"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a named step and prints its wall time. A failing command ends the script through
# `set -e` (not `||`, which would switch errexit off inside the step's functions); the
# EXIT trap then names the step.
step() {
  local name=$1 t0=$SECONDS
  shift
  current="$name"
  say "$name …"
  "$@"
  say "$name: ok in $((SECONDS - t0)) s"
  current=""
}

# Like step, but a failure is recorded instead of ending the script.
check() {
  local name=$1 t0=$SECONDS
  shift
  say "$name …"
  if "$@"; then
    say "$name: ok in $((SECONDS - t0)) s"
  else
    say "$name: FAILED after $((SECONDS - t0)) s"
    failed+=("$name")
  fi
}

build_root() {
  command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2
    return 1
  }
}

mount_root() {
  # The root must be a mount point itself: in a plain chroot, bubblewrap (the workers'
  # sandbox) fails with "Failed to make / slave: Invalid argument".
  mount --bind "$root" "$root"
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount --rbind /dev "$root/dev"
  mount --make-rslave "$root/dev"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # A throwaway root needs no crash safety: without dpkg's fsync per file, installing
  # Blender's ~300 packages is much faster on a busy disk.
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/seig-unsafe-io"
  # No service may start inside the root (it would keep the mounts busy).
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
}

# The host's Node (a prerequisite, like on any developer machine) into /opt/node.
copy_node() {
  local node npm_dir
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  [ -f "$npm_dir/package.json" ] || die "npm is not where its command points ($npm_dir)"
  mkdir -p "$root/opt/node/bin" "$root/opt/node/lib/node_modules"
  cp "$node" "$root/opt/node/bin/node"
  cp -a "$npm_dir" "$root/opt/node/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/opt/node/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/opt/node/bin/npx"
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
    cp "$NODE_EXTRA_CA_CERTS" "$root/opt/node/host-ca.crt"
  fi
}

# The project as committed, plus uncommitted edits to tracked files (so a change to setup.sh
# can be checked before committing); never node_modules or other untracked files.
copy_project() {
  mkdir -p "$root/opt/seig"
  if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    local tree
    tree=$(git -C "$repo" stash create 2>/dev/null || true)
    git -C "$repo" archive "${tree:-HEAD}" | tar -x -C "$root/opt/seig"
  else
    tar -C "$repo" --exclude=./node_modules --exclude=./runs -c . | tar -x -C "$root/opt/seig"
  fi
}

copy_in() {
  copy_node
  copy_project
}

# A command inside the root, in the project folder, with a clean environment.
in_root() {
  local env=(PATH=/opt/node/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8)
  [ -f "$root/opt/node/host-ca.crt" ] && env+=(NODE_EXTRA_CA_CERTS=/opt/node/host-ca.crt)
  local var
  for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!var:-}" ] && env+=("$var=${!var}")
  done
  # pivot_root in a private mount namespace, not a bare chroot: the kernel refuses to create a
  # user namespace (the workers' sandbox) for a chrooted process, and would fail the check for
  # a reason no real machine has.
  unshare --mount --propagation private -- bash -c '
    set -e
    mount --rbind "$0" "$0"
    cd "$0"
    mkdir -p .seig-oldroot
    pivot_root . .seig-oldroot
    umount -l /.seig-oldroot
    shift
    exec chroot / "$@"
  ' "$root" _ /usr/bin/env -i "${env[@]}" bash -c "cd /opt/seig && $1"
}

# The smallest reconstruction that still goes through every stage, then its outputs exist.
reconstruct() {
  in_root "node bin/seig.js reconstruct examples/photos/clevr.png -o /tmp/fresh-run --budget 10 --res 48 --no-semantic" &&
    in_root "test -s /tmp/fresh-run/program.py && test -s /tmp/fresh-run/final.png"
}

say "Debian $suite from $mirror into $work"
step "debootstrap --variant=minbase" build_root
step "mount /proc /sys /dev" mount_root
step "copy node $(node --version), npm and the project in" copy_in
step "bash scripts/setup.sh (inside)" in_root "bash scripts/setup.sh"
# Both run even when doctor is red, so a doctor that disagrees with reconstruct shows too.
check "seig doctor" in_root "node bin/seig.js doctor"
check "seig reconstruct" reconstruct
if [ ${#failed[@]} -gt 0 ]; then
  say "RED: $(printf '%s, ' "${failed[@]}" | sed 's/, $//') failed on a fresh Debian $suite after bash scripts/setup.sh"
  exit 1
fi
say "GREEN: on a fresh Debian $suite, bash scripts/setup.sh made seig doctor green and a reconstruction run"
