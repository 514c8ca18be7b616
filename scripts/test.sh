#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build "$@"
# The library's DocC catalog builds without a warning (every public symbol documented).
swift package generate-documentation --target Trellis --warnings-as-errors >/dev/null
