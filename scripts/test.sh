#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
# Headless Chromium and pdftotext for the report's browser tests (ReportBrowserTests).
scripts/install-test-dependencies.sh
swift build --build-tests
# One test at a time: the machine CI runs on has 2 cores, and the suites that start real
# processes (trellis serve, swift build of Examples/, killed runs) or time hostile rules must not
# starve each other (a parallel run once stalled there on a loaded machine).
# A test that never ends fails the run after 40 minutes (the whole suite takes about 2), with
# the output so far, rather than holding CI until its own limit.
timeout 40m swift test --skip-build --no-parallel "$@"
# The library's DocC catalog builds without a warning (every public symbol documented).
swift package generate-documentation --target Trellis --warnings-as-errors >/dev/null
# The Debian package: a release build (the longest step after the suite), installed with apt-get
# into a clean bookworm root made by debootstrap, with no compiler, and checked there.
scripts/package.sh
scripts/check-package.sh
