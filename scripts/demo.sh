#!/usr/bin/env bash
# Installs what is missing, builds trellis and evaluates the example class with the bundled rules.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift build -c release --product trellis
.build/release/trellis evaluate --format table examples/class-3b.json
