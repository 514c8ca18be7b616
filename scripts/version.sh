#!/usr/bin/env bash
# Prints the version of Trellis as Sources/Trellis/Release/TrellisVersion.swift writes it (the one
# place it is written), for the packaging scripts; fails when it cannot find one. Whatever the
# declaration's access level (`public`, `package` or none).
set -euo pipefail
cd "$(dirname "$0")/.."
file=Sources/Trellis/Release/TrellisVersion.swift
version=$(sed -n -E 's/^ *((public|package|internal) +)?static let current = "([^"]*)".*/\3/p' "$file")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "version.sh: no version in $file" >&2; exit 1; }
echo "$version"
