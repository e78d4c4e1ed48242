#!/usr/bin/env bash
# End-to-end tests of `vigie serve`'s page in Debian's headless Chromium.
# Installs what they need when it is missing (Debian's chromium package,
# playwright-core from npm at the version in package-lock.json, which
# never downloads a browser), builds vigie, runs the tests, and leaves
# screenshots in target/e2e-artifacts/. Prints "N passed, M failed".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
    echo "e2e: installing Debian's chromium" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
(cd "$root" && cargo build --quiet --bin vigie)

export VIGIE_BIN="$root/target/debug/vigie"
export VIGIE_E2E_ARTIFACTS="$root/target/e2e-artifacts"
cd "$here"
set +e
node --test --test-reporter=tap page.test.mjs > "$VIGIE_E2E_ARTIFACTS.tap" 2>&1
status=$?
set -e
cat "$VIGIE_E2E_ARTIFACTS.tap"
passed=$(grep -c '^ok ' "$VIGIE_E2E_ARTIFACTS.tap" || true)
failed=$(grep -c '^not ok ' "$VIGIE_E2E_ARTIFACTS.tap" || true)
echo "e2e: $passed passed, $failed failed (screenshots in $VIGIE_E2E_ARTIFACTS)"
exit $status
