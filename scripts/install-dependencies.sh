#!/usr/bin/env bash
# Installs what Trellis needs from the system: Lua 5.4's development files (liblua5.4-dev,
# found through pkg-config as lua5.4) and SQLite's (libsqlite3-dev, pkg-config sqlite3: GRDB's
# history files, --history) to build; luac5.4 (lua5.4) for rule test coverage and
# luacheck (lua-check) for linting rules. Does nothing when they are already there.
set -euo pipefail

missing=()
pkg-config --exists lua5.4 2>/dev/null || missing+=(liblua5.4-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v luac5.4 >/dev/null 2>&1 || missing+=(lua5.4)
command -v luacheck >/dev/null 2>&1 || missing+=(lua-check)
if ((${#missing[@]} == 0)); then
    exit 0
fi

"$(dirname "$0")/apt-install.sh" "Trellis (Lua 5.4's and SQLite's development files, luac5.4 and luacheck)" "${missing[@]}"
pkg-config --exists lua5.4
pkg-config --exists sqlite3
