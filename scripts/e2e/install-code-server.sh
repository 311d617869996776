#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need, idempotently, OUTSIDE the repository:
#
#   * Debian packages (when missing): chromium (the headless browser that is the workbench window),
#     ripgrep (stands in for the rg binary @vscode/ripgrep would download from GitHub),
#     libkrb5-dev (headers for code-server's native `kerberos` module).
#   * code-server $CS_VERSION (default 4.100.3 = VS Code 1.100.3, the newest that runs on Node 20)
#     from the npm registry, into $LLMLINT_E2E_CACHE/code-server-$CS_VERSION
#     (default $HOME/.cache/llmlint-e2e).
#
# A second run finds the finished install and only prints its path. Prints the code-server binary
# path as its last line. Works offline except for the npm registry and apt.
#
# code-server 4.100.3 does not install offline as published; three workarounds (each failure was
# seen on this kind of machine):
#   1. npm_config_unsafe_perm=true   its postinstall refuses to run as root without it
#   2. a pre-seeded ripgrep cache    @vscode/ripgrep's postinstall downloads rg from GitHub; it looks
#                                    in $TMPDIR/vscode-ripgrep-cache-<pkg version>/ first, so we put
#                                    Debian's rg there under the asset name it would download
#   3. npm_config_yes=true           node-pty's postinstall runs `npx node-gyp`, which a `yes=false`
#                                    npmrc cancels
# (plus libkrb5-dev for the kerberos build, installed above).
set -euo pipefail

CS_VERSION=${CS_VERSION:-4.100.3}
# Names @vscode/ripgrep uses for its download cache; they belong to code-server 4.100.3
# (lib/vscode/npm-shrinkwrap.json → @vscode/ripgrep 1.15.11, whose postinstall wants v13.0.0-10).
# Re-derive them when changing CS_VERSION.
RG_PKG_VERSION=${RG_PKG_VERSION:-1.15.11}
RG_ASSET_VERSION=${RG_ASSET_VERSION:-v13.0.0-10}

CACHE=${LLMLINT_E2E_CACHE:-$HOME/.cache/llmlint-e2e}
CS_HOME="$CACHE/code-server-$CS_VERSION"
CS_BIN="$CS_HOME/node_modules/.bin/code-server"
MARKER="$CS_HOME/.installed-ok"

log() { printf '[e2e-install] %s\n' "$*" >&2; }
T0=$(date +%s.%N)
elapsed() { awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $T0}"; }

# --- 1) Debian packages --------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root or sudo to apt-get install ${missing[*]}"; exit 1; }
    SUDO=(sudo -n)
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq >&2
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  log "apt done after $(elapsed) s"
fi

# --- 2) code-server ------------------------------------------------------------------------------
# code-server and VS Code write into $HOME (~/.config/code-server, ~/.local/share/code-server,
# ~/.cache/Microsoft) on any invocation, even --version: keep that inside the cache.
export XDG_CONFIG_HOME="$CACHE/xdg/config" XDG_DATA_HOME="$CACHE/xdg/data" XDG_CACHE_HOME="$CACHE/xdg/cache"
mkdir -p "$CACHE" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"

# One installer at a time (two test runs started together must not both build it).
exec 9>"$CACHE/.install.lock"
flock 9

if [ -f "$MARKER" ] && [ -x "$CS_BIN" ]; then
  log "code-server $CS_VERSION already installed in $CS_HOME"
  echo "$CS_BIN"
  exit 0
fi

# An interrupted install leaves no marker: start it again from scratch.
log "installing code-server $CS_VERSION into $CS_HOME (about a minute; log: $CS_HOME/install.log)"
rm -rf "$CS_HOME"
mkdir -p "$CS_HOME/tmp"
echo '{"name":"llmlint-e2e-code-server","private":true}' > "$CS_HOME/package.json"

# Workaround 2: the ripgrep download cache, filled with Debian's rg (must be at the top level).
RGC="$CS_HOME/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$RGC"
tar czf "$RGC/ripgrep-$RG_ASSET_VERSION-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

(
  cd "$CS_HOME"
  # Workarounds 1 and 3. --foreground-scripts keeps the native builds' output in the log.
  TMPDIR="$CS_HOME/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" \
    > install.log 2>&1
) || { log "npm install failed; last lines of $CS_HOME/install.log:"; tail -60 "$CS_HOME/install.log" >&2; exit 1; }

# npm may one day skip install scripts silently ("allowScripts"): check their results.
VS="$CS_HOME/node_modules/code-server/lib/vscode"
for f in "$VS/node_modules/@vscode/ripgrep/bin/rg" "$CS_BIN"; do
  [ -e "$f" ] || { log "install incomplete: $f is missing (did npm skip install scripts?)"; tail -40 "$CS_HOME/install.log" >&2; exit 1; }
done
if ! find "$VS/node_modules/node-pty" "$CS_HOME/node_modules/argon2" -name '*.node' 2>/dev/null | grep -q .; then
  log "install incomplete: native modules (node-pty, argon2) were not built"; tail -40 "$CS_HOME/install.log" >&2; exit 1
fi
"$CS_BIN" --version >&2 || { log "code-server --version failed"; exit 1; }
rm -rf "$CS_HOME/tmp"
date -u +%FT%TZ > "$MARKER"
log "code-server $CS_VERSION installed in $(elapsed) s"
echo "$CS_BIN"
