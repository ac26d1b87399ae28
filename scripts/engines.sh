#!/usr/bin/env bash
# The Docker engines the real-engine suites run on (issue 13):
#   debian-20.10      Debian 12's docker.io, installed by .ci/run (apt-get)
#   28.5-overlay2     Docker 28.5 from Debian's unstable suite, classic store
#   28.5-containerd   the same binaries, containerd image store
# 28.5 is fetched with `apt-get download` under a private apt configuration
# (its own sources list naming the machine's Debian mirror with suite sid, its
# own lists and cache), unpacked with `dpkg -x` into a directory this script
# owns, and never installed: the machine's packages and sources stay as they
# are. Unstable's runc needs a newer glibc, so Debian 12's runc is used.
#
#   scripts/engines.sh provision   fetch + unpack once (cached); prints the tree
#   scripts/engines.sh root        prints the unpacked tree (provisions if needed)
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${CAC_ENGINE_CACHE:-/var/cache/clear-app-caches}"
version=28.5.2
tree="$cache/docker-$version"
packages=(docker.io docker-cli containerd docker-buildx docker-compose tini)

mirror() {
  # The first Debian (not -security) URI of the machine's own sources.
  local uri
  uri=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
  [ -n "$uri" ] || uri=$(grep -hE '^\s*deb\s' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
  [ -n "$uri" ] || { echo "no Debian mirror found in /etc/apt/sources*" >&2; exit 1; }
  echo "$uri"
}

provision() {
  if [ -x "$tree/usr/sbin/dockerd" ] && [ -f "$tree/.complete" ]; then
    echo "$tree"
    return
  fi
  local apt="$cache/apt" debs="$cache/debs"
  mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$debs"
  echo "deb $(mirror) sid main" >"$apt/sources.list"
  local opts=(
    -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o "Dir::Cache::archives=$apt/archives"
    -o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root"
  )
  echo "Fetching Docker $version from Debian's unstable suite (once; cached in $cache)" >&2
  apt-get "${opts[@]}" -qq update >&2
  (cd "$debs" && apt-get "${opts[@]}" -qq download "${packages[@]}" >&2)
  local work="$tree.partial"
  rm -rf "$work"
  mkdir -p "$work"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$work"; done
  rm -f "$work/usr/sbin/runc" "$work/usr/bin/runc"
  "$work/usr/sbin/dockerd" --version | grep -q "$version" || {
    echo "unpacked dockerd is not $version: $("$work/usr/sbin/dockerd" --version)" >&2
    exit 1
  }
  touch "$work/.complete"
  rm -rf "$tree"
  mv "$work" "$tree"
  echo "$tree"
}

case "${1:-}" in
  provision | root) provision ;;
  *)
    echo "usage: $0 provision|root" >&2
    exit 2
    ;;
esac
