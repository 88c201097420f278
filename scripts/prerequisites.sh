#!/usr/bin/env bash
# System packages the tests need (see ../shared/TOOLCHAIN.md). Installs them on Debian as root;
# otherwise prints the exact command and fails.
set -euo pipefail
pkgs=()
command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
command -v gnome-keyring-daemon >/dev/null 2>&1 || pkgs+=(gnome-keyring)
command -v dbus-run-session >/dev/null 2>&1 || pkgs+=(dbus)
pkg-config --exists libsecret-1 2>/dev/null || pkgs+=(pkg-config libsecret-1-dev)
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || pkgs+=(build-essential)
command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
[ ${#pkgs[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${pkgs[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
else
  echo "Missing system packages: ${pkgs[*]}" >&2
  echo "Install them with: sudo apt-get install ${pkgs[*]}" >&2
  exit 1
fi
