#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service,
# so keytar has a real keychain to talk to (CI, headless Linux). Usage:
#   scripts/with-keyring.sh npx vitest run --project integration tests/integration/keychain.test.ts
# Needs the Debian packages gnome-keyring and dbus-x11. On macOS/Windows it just runs the command.
# The keyring lives in a throw-away folder (never the user's own), unlocked with a throw-away
# password: an empty password makes gnome-keyring prompt for one, which fails without a display.
set -euo pipefail
if [[ "$(uname -s)" != "Linux" ]]; then
  exec "$@"
fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session and gnome-keyring-daemon are required (apt-get install gnome-keyring dbus-x11)" >&2
  exit 1
fi
keyring_home="$(mktemp -d -t sluice-keyring-XXXXXX)"

# gnome-keyring-daemon --daemonize can outlive its D-Bus session: stop the one this run started,
# recognised by its private XDG_DATA_HOME (so no other keyring daemon is touched).
stop_own_daemon() {
  local pid
  for pid in $(pgrep -x gnome-keyring-d || true); do
    if tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF "XDG_DATA_HOME=$keyring_home"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$keyring_home"
}
trap stop_own_daemon EXIT
# A keyring that does not start makes the keychain tests skip (outside CI) or fail (under CI)
# far from the cause: say it here, and under CI stop before running anything.
case "${CI:-}" in "" | 0 | false) strict=0 ;; *) strict=1 ;; esac
status=0
SLUICE_KEYRING_HOME="$keyring_home" SLUICE_KEYRING_STRICT="$strict" dbus-run-session -- bash -c '
  if ! printf "sluice-test-keyring" |
    XDG_DATA_HOME="$SLUICE_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; then
    echo "with-keyring: gnome-keyring-daemon could not start a Secret Service in this D-Bus session." >&2
    if [[ "$SLUICE_KEYRING_STRICT" == 1 ]]; then
      echo "with-keyring: CI is set, so this is a failure (keychain tests would not run)." >&2
      exit 1
    fi
    echo "with-keyring: running without a keychain; keychain tests will skip." >&2
  fi
  "$@"
' with-keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2) || status=$?
exit "$status"
