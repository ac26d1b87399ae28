#!/usr/bin/env bash
# Provisions the Docker engines of scripts/engines.json (issues 13, 18), the
# table the real-engine suites read (CAC_ENGINES_TABLE=file reads another).
# Each row's "source" says where its binaries come from:
#   {"system": pkg}      the machine's own package (.ci/run installs Debian 12's docker.io); nothing to fetch
#   {"unstable": [pkgs]} Debian unstable's packages: `apt-get download` under a private apt configuration
#                        (its own sources list naming the machine's Debian mirror with suite sid, its own
#                        lists and cache), unpacked with `dpkg -x`, never installed. Whatever version the
#                        suite offers today is taken and named (the table's "version" is only what the row
#                        was written against); its API must be within the row's "api" range, or this fails
#                        saying so. Unstable's runc needs a newer glibc, so the machine's runc is used.
#   {"static": url, "buildx": url, "compose": url}
#                        Docker's static binaries (download.docker.com/linux/static/stable/x86_64/docker-X.tgz;
#                        url may be a path or file://), plus the buildx and compose CLI plugins.
# Each source is unpacked once into a tree of this script's cache (CAC_ENGINE_CACHE,
# default /var/cache/clear-app-caches): usr/bin, usr/sbin, usr/libexec/docker/cli-plugins, and
# .version / .api (what dockerd and its CLI say they are). Once a machine has a tree for a source it
# keeps using it (no network); remove the cache to take what the source offers now.
#
#   scripts/engines.sh provision       fetch + unpack every row's source (cached); names what each row got
#   scripts/engines.sh root NAME       prints the tree of row NAME (provisions if needed; "" for system rows)
#   scripts/engines.sh rows [SUITE]    prints the rows' names (those whose "suites" take test file SUITE)
set -euo pipefail
cd "$(dirname "$0")/.."

table="${CAC_ENGINES_TABLE:-scripts/engines.json}"
cache="${CAC_ENGINE_CACHE:-/var/cache/clear-app-caches}"
[ -f "$table" ] || {
  echo "engines table $table not found" >&2
  exit 1
}

row() { jq -ce --arg name "$1" '.engines[] | select(.name == $name)' "$table" || {
  echo "no engine \"$1\" in $table (known: $(jq -r '[.engines[].name] | join(", ")' "$table"))" >&2
  exit 1
}; }

mirror() {
  # The first Debian (not -security) URI of the machine's own sources.
  local uri
  uri=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
  [ -n "$uri" ] || uri=$(grep -hE '^\s*deb\s' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
  [ -n "$uri" ] || {
    echo "no Debian mirror found in /etc/apt/sources*" >&2
    exit 1
  }
  echo "$uri"
}

# "1.51" >= "1.48"?
api_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

# Writes .version and .api into a freshly unpacked tree, from its own binaries.
name_tree() {
  local work=$1 version api
  version=$("$work/usr/sbin/dockerd" --version | sed -E 's/^Docker version ([^,]+),.*/\1/')
  # The CLI prints its API version even with no daemon to talk to (and then exits 1).
  api=$(DOCKER_HOST=unix:///nonexistent "$work/usr/bin/docker" version --format '{{.Client.APIVersion}}' 2>/dev/null || true)
  [ -n "$version" ] && [ -n "$api" ] || {
    echo "the unpacked engine in $work does not say its version (dockerd: '$version', API: '$api')" >&2
    exit 1
  }
  echo "$version" >"$work/.version"
  echo "$api" >"$work/.api"
}

# Moves a finished work tree into place (never over a tree engines may be running from).
finish_tree() {
  local work=$1 tree=$2
  name_tree "$work"
  touch "$work/.complete"
  if [ -f "$tree/.complete" ]; then rm -rf "$work"; else
    rm -rf "$tree"
    mv "$work" "$tree"
  fi
}

# The tree of an {"unstable": [...]} source: the one this machine took before, else what unstable offers now.
unstable_tree() {
  local source=$1 pointer="$cache/unstable.tree"
  if [ -f "$pointer" ] && [ -f "$(cat "$pointer")/.complete" ]; then
    cat "$pointer"
    return
  fi
  local apt="$cache/apt"
  mkdir -p "$apt/lists/partial" "$apt/archives/partial"
  echo "deb $(mirror) sid main" >"$apt/sources.list"
  local opts=(
    -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o "Dir::Cache::archives=$apt/archives"
    -o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root"
  )
  echo "Asking Debian's unstable suite which Docker it offers (once; cached in $cache)" >&2
  apt-get "${opts[@]}" -qq update >&2
  # The engine's package (the list's first) names the tree: docker-<upstream version>.
  local engine offered upstream
  engine=$(jq -r '.unstable[0]' <<<"$source")
  offered=$(apt-cache "${opts[@]}" show --no-all-versions "$engine" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
  [ -n "$offered" ] || {
    echo "Debian unstable offers no $engine package" >&2
    exit 1
  }
  upstream=${offered#*:}
  upstream=${upstream%%[+~-]*}
  local tree="$cache/docker-$upstream"
  if [ ! -f "$tree/.complete" ]; then
    echo "Fetching $engine $offered and its companions from Debian unstable" >&2
    local debs="$cache/debs-$upstream" work="$tree.partial" packages
    mapfile -t packages < <(jq -r '.unstable[]' <<<"$source")
    rm -rf "$debs" "$work"
    mkdir -p "$debs" "$work"
    (cd "$debs" && apt-get "${opts[@]}" -qq download "${packages[@]}" >&2)
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$work"; done
    rm -f "$work/usr/sbin/runc" "$work/usr/bin/runc"
    finish_tree "$work" "$tree"
  fi
  [ -f "$tree/.version" ] || name_tree "$tree"
  echo "$tree" >"$pointer"
  echo "$tree"
}

# Fetches url (https://, file:// or a path) to file.
fetch() {
  case "$1" in
    *://*) curl -fsSL --retry 3 -o "$2" "$1" ;;
    *) cp "$1" "$2" ;;
  esac
}

# The tree of a {"static": url, "buildx": url, "compose": url} source.
static_tree() {
  local source=$1 url
  url=$(jq -r '.static' <<<"$source")
  local tree
  tree="$cache/static-$(printf '%s' "$source" | sha256sum | cut -c1-12)"
  if [ ! -f "$tree/.complete" ]; then
    echo "Fetching Docker's static binaries from $url" >&2
    local work="$tree.partial"
    rm -rf "$work"
    mkdir -p "$work/usr/bin" "$work/usr/sbin" "$work/usr/libexec/docker/cli-plugins"
    fetch "$url" "$work/docker.tgz"
    tar -xzf "$work/docker.tgz" -C "$work"
    rm "$work/docker.tgz"
    mv "$work/docker/dockerd" "$work/docker/docker-proxy" "$work/usr/sbin/" 2>/dev/null || mv "$work/docker/dockerd" "$work/usr/sbin/"
    mv "$work/docker/"* "$work/usr/bin/"
    rmdir "$work/docker"
    local plugin plugin_url
    for plugin in buildx compose; do
      plugin_url=$(jq -r --arg p "$plugin" '.[$p] // empty' <<<"$source")
      [ -n "$plugin_url" ] || continue
      fetch "$plugin_url" "$work/usr/libexec/docker/cli-plugins/docker-$plugin"
      chmod 755 "$work/usr/libexec/docker/cli-plugins/docker-$plugin"
    done
    finish_tree "$work" "$tree"
  fi
  echo "$tree"
}

# The tree of row NAME ("" for a system row), checked against the row's API range.
tree_of() {
  local row source tree api min below
  row=$(row "$1")
  source=$(jq -c '.source' <<<"$row")
  case "$(jq -r '[keys[] | select(. == "system" or . == "unstable" or . == "static")][0] // "none"' <<<"$source")" in
    system) return 0 ;;
    unstable) tree=$(unstable_tree "$source") ;;
    static) tree=$(static_tree "$source") ;;
    *)
      echo "row $1: unknown source $source" >&2
      exit 1
      ;;
  esac
  api=$(cat "$tree/.api")
  min=$(jq -r '.api.min // empty' <<<"$row")
  below=$(jq -r '.api.below // empty' <<<"$row")
  if { [ -n "$min" ] && ! api_at_least "$api" "$min"; } || { [ -n "$below" ] && api_at_least "$api" "$below"; }; then
    echo "row $1 needs an engine with API ${min:+>= $min}${below:+< $below}, but its source $source offers Docker $(cat "$tree/.version") (API $api), in $tree." >&2
    echo "Point the row at another source (scripts/engines.json), e.g. Docker's static binaries." >&2
    exit 1
  fi
  echo "$tree"
}

locked() {
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
}

case "${1:-}" in
  provision)
    locked
    for name in $(jq -r '.engines[].name' "$table"); do
      tree=$(tree_of "$name")
      if [ -z "$tree" ]; then
        echo "$name: the machine's own package ($(jq -r --arg n "$name" '.engines[] | select(.name == $n) | .source.system' "$table"))" >&2
      else
        echo "$name: Docker $(cat "$tree/.version") (API $(cat "$tree/.api")) in $tree" >&2
      fi
    done
    ;;
  root)
    [ -n "${2:-}" ] || {
      echo "usage: $0 root NAME" >&2
      exit 2
    }
    locked
    tree_of "$2"
    ;;
  rows)
    jq -r --arg suite "${2:-*}" '.engines[] | select($suite == "*" or (.suites | index("*") or index($suite))) | .name' "$table"
    ;;
  *)
    echo "usage: $0 provision | root NAME | rows [SUITE]" >&2
    exit 2
    ;;
esac
