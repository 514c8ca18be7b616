#!/usr/bin/env bash
# Installs what the test suite needs beyond the build: Debian's chromium (the report's browser
# tests open it headless, with the network closed) and poppler-utils (pdftotext reads the PDF
# that Chromium prints). Does nothing when they are already there.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if ((${#missing[@]} == 0)); then
    exit 0
fi

"$(dirname "$0")/apt-install.sh" "The report's browser tests (headless Chromium, pdftotext)" "${missing[@]}"
command -v chromium >/dev/null && command -v pdftotext >/dev/null
