#!/usr/bin/env bash
# README's two commands on a fresh machine: a Debian 12 chroot made by debootstrap, with Node 20
# and nothing of this machine's npm setup (no ~/.npmrc, no npm cache, no node_modules).
#
#   1. as an ordinary user:  npm ci && npm run build && npx firmdrop help
#      (no libsecret-1-dev: keytar does not build, the install goes on, postinstall prints the
#      exact apt-get command; `firmdrop help` runs)
#   2. as root, a new clone: npm install && npm start
#      (postinstall installs libsecret-1-dev with apt-get and installs keytar again; Electron's
#      binary cannot be downloaded, so npm start serves the UI through the web shell: the script
#      reads the printed URL and GETs the page)
#
# Usage (root; Debian/Ubuntu host with apt):  scripts/fresh-clone-check.sh [COMMIT]
# Tests the committed COMMIT (default HEAD) of this repository, never the working tree.
# The base system is cached in $FIRMDROP_ROOTFS (default /var/tmp/firmdrop-rootfs-bookworm);
# every run works on a fresh copy of it (FIRMDROP_FRESH_KEEP=1 keeps the copy and its logs).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$here" rev-parse "${1:-HEAD}")
base=${FIRMDROP_ROOTFS:-/var/tmp/firmdrop-rootfs-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
say() { printf 'fresh-clone-check: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and chroot need it)"
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
[ -z "$(git -C "$here" status --porcelain --untracked-files=no)" ] ||
  say "note: uncommitted changes are not part of the check (it clones $rev)"

# The base: Debian's minimal system, plus the compilers that npm's native builds need here.
# (Where GitHub is reachable, better-sqlite3 and keytar download prebuilt binaries instead.)
# No pkg-config and no libsecret-1-dev: that is the machine the issue describes.
if [ ! -e "$base/.complete" ]; then
  say "debootstrap bookworm into $base (once; a few minutes)"
  rm -rf "$base"
  debootstrap --variant=minbase --include=ca-certificates,python3,make,g++ \
    bookworm "$base" "$mirror" >/dev/null
  touch "$base/.complete"
fi

work=$(mktemp -d /var/tmp/firmdrop-fresh.XXXXXX)
root="$work/root"
# Stops `npm start` in the chroot: the session it was started in, and nothing else.
stop() {
  local sid
  sid=$(cat "$root/tmp/start.sid" 2>/dev/null || true)
  [[ "$sid" =~ ^[0-9]+$ ]] && pkill -TERM -s "$sid" 2>/dev/null || true
}
cleanup() {
  [ -z "${pid:-}" ] || stop
  for m in dev/pts dev proc; do umount -l "$root/$m" 2>/dev/null || true; done
  # Never remove through a mount that is still there (it would be the host's /dev).
  for m in dev/pts dev proc; do mountpoint -q "$root/$m" && { say "left $work: $m still mounted"; return; }; done
  if [ -n "${FIRMDROP_FRESH_KEEP:-}" ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
cp -a "$base" "$root"

# Node 20 and npm as this machine has them (nodesource's nodejs package, npm 11): nodejs.org is
# not reachable here, and Debian 12's own nodejs is 18. Only node, its headers and npm go in.
tar -C / -cf - usr/bin/node usr/include/node usr/lib/node_modules/npm | tar -C "$root" -xf -
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This network inspects TLS: the machine trusts its CA, and so must the chroot (a property of the
# network, like the headers below; the system store is what Node is pointed at with
# NODE_EXTRA_CA_CERTS, as on the host).
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
chroot "$root" useradd --create-home --shell /bin/bash tech
# One npm cache for both runs, new with this machine (so the second run downloads nothing again).
install -d -m 0777 "$root/var/cache/npm"

clone() { # DEST OWNER
  git clone --quiet --no-hardlinks "$here" "$root$1"
  git -C "$root$1" checkout --quiet --detach "$rev"
  chroot "$root" chown -R "$2:$2" "$1"
}

# A clean environment inside: HOME, PATH, the CA store, and one concession to this network:
# node-gyp fetches Node's headers from nodejs.org, which is not reachable here; the nodejs package
# ships them in /usr/include/node. Nothing else of the host's npm configuration goes in.
inside() { # USER COMMAND...
  local user=$1 home=/root
  shift
  [ "$user" = root ] || home=/home/$user
  chroot --userspec="$user:$user" "$root" /usr/bin/env -i HOME="$home" USER="$user" \
    PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 npm_config_nodedir=/usr \
    npm_config_cache=/var/cache/npm NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    /bin/bash -c "$*"
}

say "node $(inside root node --version), npm $(inside root npm --version); testing $rev"
inside root 'dpkg -s libsecret-1-dev >/dev/null 2>&1' && fail "the base already has libsecret-1-dev"
inside root 'command -v pkg-config >/dev/null' && fail "the base already has pkg-config"

# 1. The CLI, as an ordinary user.
clone /home/tech/firmdrop tech
say "1/2 (user tech): npm ci && npm run build && npx firmdrop help"
log1="$work/1-ci.log"
inside tech 'cd ~/firmdrop && npm ci && npm run build && npx firmdrop help' >"$log1" 2>&1 ||
  { tail -40 "$log1" >&2; fail "npm ci && npm run build && npx firmdrop help (log: $log1)"; }
grep -q '^Usage: firmdrop ' "$log1" || fail "firmdrop help printed no usage (log: $log1)"
grep -q '^firmdrop postinstall: Run: sudo apt-get install -y libsecret-1-dev pkg-config && npm install$' "$log1" ||
  { grep 'firmdrop postinstall' "$log1" >&2 || true; fail "postinstall did not print the apt-get command"; }
say "1/2 ok: help printed; postinstall said: $(grep -m1 '^firmdrop postinstall: Run:' "$log1")"

# 2. The app, as root: postinstall installs the system packages, then npm start.
clone /root/firmdrop root
say "2/2 (root): npm install && npm start"
log2="$work/2-start.log"
# npm start runs in a session of its own (its leader's pid in /tmp/start.sid), to be stopped as one.
inside root 'cd ~/firmdrop && npm install && setsid bash -c "echo \$\$ > /tmp/start.sid; exec npm start"' \
  >"$log2" 2>&1 &
pid=$!
url=''
for _ in $(seq 1 900); do # up to 15 minutes: npm install compiles better-sqlite3 and keytar
  url=$(grep -m1 -o 'http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]*' "$log2" || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
[ -n "$url" ] || { tail -40 "$log2" >&2; fail "npm start printed no URL (log: $log2)"; }
page=$(node -e 'fetch(process.argv[1]).then(async r => console.log(r.status, await r.text()))' "$url")
stop
wait "$pid" || true
case "$page" in
  '200 '*'<meta name="firmdrop-shell" content="web" />'*) ;;
  *) fail "GET $url did not serve the app: ${page:0:200}" ;;
esac
grep -q '^firmdrop postinstall: keytar is built' "$log2" || fail "postinstall did not repair keytar (log: $log2)"
inside root 'cd ~/firmdrop && node -e "require(\"keytar\")"' || fail "keytar does not load after npm install"
say "2/2 ok: $(grep -m1 'Installing the system packages' "$log2" | sed 's/^firmdrop postinstall: //')"
say "2/2 ok: $(grep -m1 '^The desktop app cannot start here' "$log2")"
say "2/2 ok: GET $url -> 200, the app's page"
say "passed"
