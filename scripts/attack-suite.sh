#!/usr/bin/env bash
# The sandbox attack suite (test/sandbox-attacks) as an unprivileged user. `npm test` already
# runs it as whoever runs the tests (root on CI, where workers drop to uid 65534); this runs it
# again as a plain user, whose workers get an unprivileged user namespace of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  exec npx vitest run test/sandbox-attacks
fi
user=seigtest
id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
# The user needs to read the checkout and run its node_modules; nothing here is writable for it.
chmod o+rx "$(pwd)"
exec runuser -u "$user" -- env HOME=/tmp PATH="$PATH" npx --no-install vitest run --configLoader runner test/sandbox-attacks
