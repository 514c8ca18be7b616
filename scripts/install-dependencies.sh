#!/usr/bin/env bash
# Installs what Trellis needs from the system: Lua 5.4's development files (liblua5.4-dev,
# found through pkg-config as lua5.4) to build; luac5.4 (lua5.4) for rule test coverage and
# luacheck (lua-check) for linting rules. Does nothing when they are already there.
set -euo pipefail

missing=()
pkg-config --exists lua5.4 2>/dev/null || missing+=(liblua5.4-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v luac5.4 >/dev/null 2>&1 || missing+=(lua5.4)
command -v luacheck >/dev/null 2>&1 || missing+=(lua-check)
if ((${#missing[@]} == 0)); then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Trellis needs Lua 5.4's development files (pkg-config lua5.4), luac5.4 and luacheck: install ${missing[*]} with your package manager." >&2
    exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
echo "Installing ${missing[*]}..." >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
pkg-config --exists lua5.4
