#!/usr/bin/env bash
# Installs the package scripts/package.sh built into a clean Debian bookworm root (debootstrap,
# minbase: no Swift, no development package) with apt-get, so its Depends are fetched as a
# user's would be, and checks there what a school would do first: the version, the manual, the
# bash completion of paths, evaluating the example class, and a rule folder of its own from
# `trellis init` checked, tested and evaluated beside the bundled rules.
#
#   scripts/check-package.sh [out/trellis_VERSION_ARCH.deb]
#
# Needs root (chroot, mount). The debootstrap'ed root is cached as a tarball in
# .build-package/cache (gitignored), so a second run takes seconds; a clean checkout makes it.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-package.sh: FAILED: $*" >&2; exit 1; }
step() { echo "check-package.sh: $*" >&2; }

[[ $(id -u) -eq 0 ]] || fail "needs root (debootstrap, chroot and mount): run it with sudo"
version=$(scripts/version.sh) || fail "no version to check"
package=${1:-out/trellis_${version}_$(dpkg --print-architecture).deb}
[[ -f $package ]] || fail "no package at $package: run scripts/package.sh first"
command -v debootstrap >/dev/null || scripts/apt-install.sh "check-package.sh (a clean Debian root)" debootstrap

# The Debian mirror this machine's apt uses (deb822 .sources or one-line sources.list).
mirror=$(
    {
        awk 'BEGIN { RS = ""; FS = "\n" }
            /(^|\n)Suites:[^\n]*(^| )bookworm( |\n|$)/ { for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, u, " "); print u[2]; exit } }' \
            /etc/apt/sources.list.d/*.sources 2>/dev/null || true
        awk '$1 == "deb" && $0 ~ / bookworm( |$)/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
            /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
    } | head -n1
)
mirror=${mirror:-http://deb.debian.org/debian}

cache=.build-package/cache
mkdir -p "$cache"
# The tools the checks need, installed with the base: the manual and bash completion.
include=man-db,bash-completion,ca-certificates
tarball="$cache/bookworm-minbase-$(echo "$mirror $include" | md5sum | cut -c1-12).tar"
root=$(mktemp -d /tmp/trellis-check-package.XXXXXX)
chmod 0755 "$root" # apt downloads as _apt, which must reach the root
mounted=()
cleanup() {
    local status=$?
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
    # Only once nothing is mounted under it may the root go.
    if ! grep -q " $root/" /proc/mounts; then rm -rf "$root"; else echo "check-package.sh: left $root (still mounted)" >&2; fi
    exit "$status"
}
trap cleanup EXIT INT TERM

if [[ -f $tarball ]]; then
    step "unpacking the cached bookworm root ($tarball)"
    tar -xf "$tarball" -C "$root"
else
    step "making a bookworm root with debootstrap from $mirror (cached afterwards in $cache)"
    debootstrap --variant=minbase --include="$include" bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
        { tail -n 30 "$cache/debootstrap.log" >&2; fail "debootstrap did not make the root (log: $cache/debootstrap.log)"; }
    chroot "$root" apt-get clean
    tar -cf "$tarball.partial" -C "$root" . && mv "$tarball.partial" "$tarball"
fi

mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$package" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"; }

step "installing $(basename "$package") with apt-get (its Depends from $mirror)"
in_root apt-get update -qq || fail "apt-get update in the root"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$package")" >"$root/tmp/install.log" 2>&1 ||
    { cat "$root/tmp/install.log" >&2; fail "apt-get install of the package"; }

step "running the checks inside the root"
cat >"$root/tmp/checks.sh" <<'CHECKS'
set -euo pipefail
expected_version=$1
fail() { echo "check-package.sh: FAILED in the root: $*" >&2; exit 1; }
ok() { echo "  ok: $*" >&2; }
cd /root

# Nothing to build with: no Swift anywhere, no development package.
! command -v swift >/dev/null && ! command -v swiftc >/dev/null || fail "a Swift toolchain is on PATH"
[[ -z $(find / -xdev \( -name 'libswiftCore.so*' -o -name 'libFoundation.so*' \) -print -quit) ]] || fail "Swift's runtime libraries are in the root"
dev_packages=$(dpkg-query -W -f '${Package}\n' | grep -E -- '-dev(:|$)' || true)
[[ -z $dev_packages ]] || fail "development packages are installed: $dev_packages"
ok "no Swift toolchain, no -dev package"

[[ $(trellis --version) == "$expected_version" ]] || fail "trellis --version says $(trellis --version), expected $expected_version"
ok "trellis --version: $expected_version"

manual=$(MANPAGER=cat MANWIDTH=80 man trellis 2>&1) || fail "man trellis: $manual"
grep -q "trellis-init(1)" <<<"$manual" || fail "man trellis does not list trellis-init(1):"$'\n'"$manual"
MANPAGER=cat man trellis-init | grep -q -- "--force" || fail "man trellis-init does not describe --force"
ok "man trellis and man trellis-init render"
printf '%s\n' "$manual" | head -n 12 >/tmp/man-trellis.txt

[[ -f /usr/share/zsh/vendor-completions/_trellis && -f /usr/share/fish/vendor_completions.d/trellis.fish ]] || fail "zsh or fish completion missing"
trellis init school-rules >/tmp/init.out || fail "trellis init school-rules"
# bash-completion loads a command's completion from /usr/share/bash-completion/completions on first use.
completion=$(bash -c '
    source /usr/share/bash-completion/bash_completion
    _completion_loader trellis
    complete -p trellis
    function=$(complete -p trellis | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
    COMP_WORDS=(trellis evaluate --rules school-r); COMP_CWORD=3
    COMP_LINE="trellis evaluate --rules school-r"; COMP_POINT=${#COMP_LINE}
    "$function" trellis school-r --rules
    printf "reply:%s\n" "${COMPREPLY[@]}"
    COMP_WORDS=(trellis evaluate --config school-rules/sch); COMP_CWORD=3
    COMP_LINE="trellis evaluate --config school-rules/sch"; COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$function" trellis school-rules/sch --config
    printf "reply:%s\n" "${COMPREPLY[@]}"
') || fail "bash completion: $completion"
grep -q "^complete .* trellis$" <<<"$completion" || fail "bash has no completion registered for trellis: $completion"
grep -qx "reply:school-rules" <<<"$completion" || fail "bash does not complete the folder school-rules after --rules: $completion"
grep -qx "reply:school-rules/school.yaml" <<<"$completion" || fail "bash does not complete school-rules/school.yaml after --config: $completion"
ok "bash completion registered; --rules completes school-rules, --config school-rules/school.yaml"

evaluation=$(trellis evaluate --format json /usr/share/trellis/examples/class-3b.json) || fail "trellis evaluate on the example class"
grep -q '"rule" *: *"prompt-fading"' <<<"$evaluation" || fail "the bundled prompt-fading rule made nothing on the example class"
ok "trellis evaluate /usr/share/trellis/examples/class-3b.json"

trellis check school-rules || fail "trellis check school-rules"
trellis test school-rules || fail "trellis test school-rules"
# school.yaml with every setting uncommented, as it is: the defaults, which check must accept.
sed -E 's/^( *)#([^ ])/\1\2/' school-rules/school.yaml >/tmp/school-all.yaml
trellis check school-rules --config /tmp/school-all.yaml || fail "school.yaml with every setting uncommented does not load"
ok "trellis init, check (with school.yaml uncommented) and test"

with_school=$(trellis evaluate --format json --rules school-rules /usr/share/trellis/examples/class-3b.json) ||
    fail "trellis evaluate --rules school-rules"
grep -q '"rule" *: *"needs-data"' <<<"$with_school" || fail "the school's needs-data rule made nothing"
grep -q '"rule" *: *"prompt-fading"' <<<"$with_school" || fail "the bundled rules are gone with --rules school-rules"
ok "trellis evaluate --rules school-rules: the school's rule and the bundled ones"
CHECKS
in_root bash /tmp/checks.sh "$version" || fail "see above"
step "what a person sees of man trellis:"
cat "$root/tmp/man-trellis.txt" >&2
step "passed: $(basename "$package") installs and works in a clean bookworm root"
