# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the scripts. Source it; do not run it.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${CACHE:=${HOME}/.cache/snp-negotiation}"
: "${JOBS:=$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-${CACHE}/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"

say()  { printf '==> %s\n' "$*"; }
step() { printf '  -> %s\n' "$*"; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Value of a variable in config.mk.
config_mk() {
	sed -n "s/^$1[[:space:]]*:=[[:space:]]*//p" "$TOP/config.mk"
}

# "6.1.8" from a tree's top-level Makefile.
kernel_version() {
	local mk=$1/Makefile v p s
	[ -f "$mk" ] || die "$1 is not a kernel tree (no Makefile)"
	v=$(sed -n 's/^VERSION = //p' "$mk")
	p=$(sed -n 's/^PATCHLEVEL = //p' "$mk")
	s=$(sed -n 's/^SUBLEVEL = //p' "$mk")
	echo "$v.$p.$s"
}

# Compare two dotted versions: version_le A B is true if A <= B.
version_le() {
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$1" ]
}

# The series directory that serves Linux VERSION ("6.1.3"): the one under
# patches/ whose 'range' file ("FIRST LAST") includes it.
series_for_version() {
	local ver=$1 d first last served=
	for d in "$TOP"/patches/linux-*/; do
		d=${d%/}
		[ -f "$d/range" ] || continue
		read -r first last < "$d/range" || true
		[ -n "$first" ] && [ -n "$last" ] || die "$d/range: expected 'FIRST LAST'"
		if version_le "$first" "$ver" && version_le "$ver" "$last"; then
			echo "$d"
			return
		fi
		served="$served ${d##*/} ($first-$last)"
		if [ "${ver%.*}" = "${last%.*}" ] && ! version_le "$ver" "$last"; then
			die "no series for Linux $ver: it is past the range of ${d##*/} ($first-$last)"
		fi
	done
	die "no series for Linux $ver (series:${served:- none})"
}

# The series directory that fits a tree: the series whose range covers
# the tree's version, or the test-only series for the prepared default tree.
series_for_tree() {
	local tree=$1
	if [ -f "$tree/.snp-negotiation-default-tree" ]; then
		echo "$TOP/tests/series/debian-6.1"
		return
	fi
	series_for_version "$(kernel_version "$tree")"
}

# Patch files of a series, in the order of its 'series' file.
series_patches() {
	local dir p
	dir=$(cd "$1" && pwd) || die "no series directory $1"
	[ -f "$dir/series" ] || die "$dir/series is missing"
	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		[ -f "$dir/$p" ] || die "$dir/series names $p, which does not exist"
		echo "$dir/$p"
	done < "$dir/series"
}

# A scratch clone of a tree, at the tree's HEAD, that checks may change
# freely; the tree itself is never touched. Prints its path.
work_clone() {
	local src=$1 name=$2 dst
	git -C "$src" rev-parse --verify -q HEAD >/dev/null ||
		die "$src is not a git checkout (KSRC must be a git tree at the series' base)"
	if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
		die "$src has uncommitted changes; commit or stash them (the checks use its HEAD)"
	fi
	dst=$CACHE/work/$name
	mkdir -p "$CACHE/work"
	if [ ! -d "$dst/.git" ]; then
		git clone -q --shared --no-checkout "$src" "$dst"
	fi
	git -C "$dst" fetch -q "$src" HEAD
	git -C "$dst" am --abort >/dev/null 2>&1 || true
	git -C "$dst" checkout -q -f -B check-base FETCH_HEAD
	git -C "$dst" clean -q -fdx
	echo "$dst"
}

# Apply a series onto the current HEAD of a clone, exactly: no fuzz, no
# 3-way merge. Leaves the clone on branch check-series.
apply_series() {
	local tree=$1 dir=$2
	git -C "$tree" checkout -q -f -B check-series check-base
	# shellcheck disable=SC2046
	git -C "$tree" -c user.name=snp-check -c user.email=snp-check@localhost \
		am -q --no-3way $(series_patches "$dir")
}

# The tree a check runs on: KSRC if given, else the prepared default tree.
resolve_tree() {
	if [ -n "${KSRC:-}" ]; then
		[ -d "$KSRC" ] || die "KSRC=$KSRC does not exist"
		(cd "$KSRC" && pwd)
	else
		"$TOP/scripts/prepare-default-tree" >&2
		cat "$CACHE/default-tree.path"
	fi
}

# A short name for a tree, for scratch directories.
tree_tag() {
	local tree=$1
	echo "$(basename "$tree")-$(echo "$tree" | md5sum | cut -c1-8)"
}

# Record a check result for the summary: record NAME pass|fail SECONDS [note]
record() {
	[ -n "${RESULTS:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >> "$RESULTS"
}
