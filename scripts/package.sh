#!/usr/bin/env bash
# Builds the Debian package out/trellis_VERSION_ARCH.deb: a release binary that needs no Swift
# toolchain (the Swift standard library and Foundation linked statically), its manual pages and
# shell completions, the rule author's kit, the systemd unit of `trellis serve`, the licence and
# the changelog. The Depends line is read from the binary (dpkg-shlibdeps), so a library the
# build starts linking (Lua today) is picked up without an edit here.
#
#   scripts/package.sh            then: scripts/check-package.sh (installs it in a clean Debian root)
#
# Runs lintian on the package when it is installed (apt-get install lintian), failing on errors.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

fail() { echo "package.sh: $*" >&2; exit 1; }

version=$(scripts/version.sh) || fail "no version to build"
arch=$(dpkg --print-architecture)
for tool in dpkg-deb dpkg-shlibdeps gzip strip; do
    command -v "$tool" >/dev/null || fail "needs $tool (Debian: apt-get install dpkg-dev binutils)"
done

echo "Building trellis $version (release, static Swift standard library)..." >&2
swift build -c release --product trellis --static-swift-stdlib
binary="$(swift build -c release --show-bin-path)/trellis"

# Nothing of Swift may be left to find at run time: the chroot of check-package.sh has none.
if swift_libraries=$(ldd "$binary" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime'); then
    fail "the binary still links Swift's runtime dynamically:"$'\n'"$swift_libraries"
fi

work=.build-package
stage=$work/root
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/man/man1" "$stage/usr/share/doc/trellis" \
    "$stage/usr/share/bash-completion/completions" "$stage/usr/share/zsh/vendor-completions" \
    "$stage/usr/share/fish/vendor_completions.d" "$stage/usr/share/trellis/types" "$stage/usr/share/trellis/examples" \
    "$stage/usr/lib/systemd/system" "$stage/etc/default"

install -m 0755 "$binary" "$stage/usr/bin/trellis"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/trellis"
[[ $("$stage/usr/bin/trellis" --version) == "$version" ]] || fail "the stripped binary does not print its version"

# Completions, from the binary itself: they complete paths for inputs, --rules, --config, --output.
"$stage/usr/bin/trellis" --generate-completion-script bash >"$stage/usr/share/bash-completion/completions/trellis"
"$stage/usr/bin/trellis" --generate-completion-script zsh >"$stage/usr/share/zsh/vendor-completions/_trellis"
"$stage/usr/bin/trellis" --generate-completion-script fish >"$stage/usr/share/fish/vendor_completions.d/trellis.fish"

# Manual pages: swift-argument-parser's generator, a page per command and subcommand, from the
# binary being packaged. `swift package plugin generate-manual` runs this same tool, but first
# builds every product again in a configuration of its own: a second whole release build (25
# minutes on a loaded 2-core machine), for the same pages. Dated by the last commit, so that the
# same sources make the same pages.
echo "Generating the manual pages..." >&2
swift build --product generate-manual >&2
man_date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
manual=$work/man
rm -rf "$manual" && mkdir -p "$manual"
"$(swift build --show-bin-path)/generate-manual" "$stage/usr/bin/trellis" --multi-page --date "$man_date" --output-directory "$manual" >&2
pages=("$manual"/*.1)
[[ -f ${pages[0]} ]] || fail "the manual generator wrote no page"
# The generator names a subcommand's page trellis.init.1; man's convention is trellis-init.
for page in "${pages[@]}"; do
    name=$(basename "$page" .1)
    perl -pe 's/\b(trellis|TRELLIS)((?:\.[A-Za-z]+)+)/$1 . ($2 =~ tr|.|-|r)/ge if /^\.(Xr|Dt)/' "$page" |
        gzip -9n >"$stage/usr/share/man/man1/${name//./-}.1.gz"
done
[[ -f $stage/usr/share/man/man1/trellis.1.gz && -f $stage/usr/share/man/man1/trellis-init.1.gz ]] ||
    fail "no manual page for trellis or trellis init among: ${pages[*]}"

# The rule author's kit.
install -m 0644 types/trellis.lua "$stage/usr/share/trellis/types/trellis.lua"
install -m 0644 .luacheckrc "$stage/usr/share/trellis/luacheckrc"
install -m 0644 packaging/luarc.json "$stage/usr/share/trellis/luarc.json"
install -m 0644 examples/class-3b.json "$stage/usr/share/trellis/examples/class-3b.json"

# trellis serve as a service, its options a configuration file of the administrator's.
install -m 0644 packaging/trellis.service "$stage/usr/lib/systemd/system/trellis.service"
install -m 0644 packaging/default "$stage/etc/default/trellis"
echo /etc/default/trellis >"$stage/DEBIAN/conffiles"
if command -v systemd-analyze >/dev/null; then
    # Checked as this system would load it, with the packaged binary where /usr/bin/trellis will be.
    mkdir -p "$work/unit"
    sed "s|/usr/bin/trellis|$PWD/$stage/usr/bin/trellis|" packaging/trellis.service >"$work/unit/trellis.service"
    systemd-analyze verify --man=no "$work/unit/trellis.service" ||
        fail "systemd-analyze verify found problems in packaging/trellis.service"
fi

install -m 0644 packaging/copyright "$stage/usr/share/doc/trellis/copyright"
# What lintian reports that is meant, each with its reason (packaging/lintian-overrides).
install -D -m 0644 packaging/lintian-overrides "$stage/usr/share/lintian/overrides/trellis"
gzip -9n <CHANGELOG.md >"$stage/usr/share/doc/trellis/changelog.gz"
changelog_date=$(date -u -R -d "$man_date")
printf 'trellis (%s) stable; urgency=medium\n\n  * Release %s: see /usr/share/doc/trellis/changelog.gz.\n\n -- %s  %s\n' \
    "$version" "$version" "$(sed -n 's/^Maintainer: //p' packaging/control)" "$changelog_date" |
    gzip -9n >"$stage/usr/share/doc/trellis/changelog.Debian.gz"

# Depends: what the binary links, as Debian's shlibs and symbols files name it.
mkdir -p "$work/shlibs/debian"
printf 'Source: trellis\n\nPackage: trellis\nArchitecture: any\n' >"$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$OLDPWD/$stage/usr/bin/trellis" 2>&1 | sed -n 's/^shlibs:Depends=//p')
[[ -n $depends ]] || fail "dpkg-shlibdeps gave no Depends line"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
    packaging/control >"$stage/DEBIAN/control"

# The files' own permissions, whatever the checkout's: dpkg-deb records them.
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/usr/bin/trellis"

mkdir -p out
package="out/trellis_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$package" >/dev/null
echo "Depends: $depends" >&2
if command -v lintian >/dev/null; then
    lintian --fail-on error "$package" >&2 || fail "lintian found problems in $package (above)"
fi
echo "$package"
