#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service, so keytar talks to a
# real keychain. Temporary XDG folders keep the developer's own keyring out of it. Without dbus-run-session or
# gnome-keyring-daemon the command runs as is, and keychain tests skip with a reason.
set -euo pipefail
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: no dbus-run-session/gnome-keyring-daemon; keychain tests will be skipped" >&2
  exec "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/run"
chmod 700 "$tmp/run"
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
dbus-run-session -- sh -c 'echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
