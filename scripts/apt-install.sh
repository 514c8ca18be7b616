#!/usr/bin/env bash
# Installs Debian packages for one of the project's scripts, with sudo when not root.
#
#   scripts/apt-install.sh "WHAT NEEDS THEM" PACKAGE...
#
# Without apt-get it names the packages and fails, so the user can install them another way.
set -euo pipefail
needed_by=$1
shift
(($#)) || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "$needed_by needs: $*; install them with your package manager" >&2
    exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
echo "Installing $*..." >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
