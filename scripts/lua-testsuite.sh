#!/usr/bin/env bash
# Runs Lua 5.4.4's own test suite inside Trellis's sandbox and compares it with plain Lua: every
# chunk of the suite that runs in plain lua5.4 with the globals a rule has must run the same in
# the sandbox, except the deliberate restrictions listed in scripts/lua-testsuite/restrictions.txt
# (and described in docs/security.md). The suite is not in this repository: fetch the lua/lua
# repository at tag v5.4.4 and pass its testes/ folder.
#
#   scripts/lua-testsuite.sh PATH/TO/testes [--trellis BINARY] [--keep DIR] [--only FILE.lua ...]
#
# Needs lua5.4 and python3, and a built trellis (default .build/debug/trellis). Exit status 0 when
# every difference is a listed restriction, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 || ! -d $1 ]]; then
    echo "usage: $0 PATH/TO/testes [--trellis BINARY] [--keep DIR] [--only FILE.lua ...]" >&2
    exit 64
fi
command -v lua5.4 >/dev/null || { echo "lua5.4 is needed (apt-get install lua5.4)" >&2; exit 64; }
exec python3 scripts/lua-testsuite/run.py "$@"
