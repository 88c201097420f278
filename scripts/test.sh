#!/usr/bin/env bash
# The whole test suite, as README.md gives it: `npm test`.
# Brings what it needs on Debian as root; elsewhere says exactly what to install. Nothing is skipped:
# a missing prerequisite is a failure with a message.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh

npm run --silent build >/dev/null

rm -rf test-results && mkdir -p test-results

# A private D-Bus session with an unlocked gnome-keyring: keychain tests use a real Secret Service
# without touching the user's own keyring (its files live in a temporary directory).
KR=$(mktemp -d)
trap 'rm -rf "$KR"' EXIT
mkdir -m 700 "$KR/run" "$KR/data"
export XDG_RUNTIME_DIR="$KR/run" XDG_DATA_HOME="$KR/data"
export FIRMDROP_KEYCHAIN_REQUIRED=1

if [ "${1:-}" = "--soak" ]; then
  # npm run test:soak: the reliability suite only, with many more rounds (kills, faults).
  export FIRMDROP_SOAK=1
  exec dbus-run-session -- bash -c '
    printf %s firmdrop-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
    npx vitest run test/reliability'
fi

set +e
dbus-run-session -- bash -c '
  printf %s firmdrop-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || {
    echo "npm test: gnome-keyring-daemon could not start an unlocked keyring" >&2; exit 1; }
  npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
  v=$?
  npx playwright test
  p=$?
  [ $v -eq 0 ] && [ $p -eq 0 ]
'
status=$?
set -e
node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json || status=1
exit $status
