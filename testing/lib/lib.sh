# SPDX-License-Identifier: GPL-2.0
# The shell library of the checks and tools. Source it; do not run it.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Where things live (see Documentation/testing.rst, "Layout").
CHECKS=$TOP/testing/checks
REGISTRY=${SNP_REGISTRY:-$TOP/testing/checks.tbl}
TLIB=$TOP/testing/lib
HARNESS=$TOP/testing/harness
KCONFIG=$TOP/testing/kconfig
export PYTHONPATH=$TLIB${PYTHONPATH:+:$PYTHONPATH}
# The checks choose their own make options. A caller's (make -s check, -k,
# a jobserver) must not reach the kernel's builds: with -s the kernel's
# make prints no "CC" lines, and bisect-build counts those.
unset MAKEFLAGS MFLAGS
: "${CACHE:=${HOME}/.cache/snp-negotiation}"
# The checks start Python hundreds of times. A version manager's shim
# (pyenv's python3 is a shell script) costs most of a second at each
# start here, so the interpreter it picks is looked up once per run and
# a directory that holds only a link named python3 to it goes first in
# PATH (no other command changes). A failed lookup leaves PATH alone.
if [ -z "${SNPNEG_PYTHON:-}" ] && command -v python3 >/dev/null; then
	SNPNEG_PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || SNPNEG_PYTHON=none
	export SNPNEG_PYTHON
	if [ "$SNPNEG_PYTHON" != "$(command -v python3)" ] && [ -x "$SNPNEG_PYTHON" ] &&
	   mkdir -p "$CACHE/python" && ln -sfn "$SNPNEG_PYTHON" "$CACHE/python/python3"; then
		export PATH="$CACHE/python:$PATH"
	fi
fi
: "${JOBS:=$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-${CACHE}/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"

say()  { printf '==> %s\n' "$*"; }
step() { printf '  -> %s\n' "$*"; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }
# The cases of a check that counts them: ok WHAT and bad WHAT print a line
# and count into pass and fail, which the check prints at its end.
pass=0 fail=0
ok()   { pass=$((pass + 1)); step "ok    $*"; }
bad()  { fail=$((fail + 1)); step "FAIL  $*"; }

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

# project_version [TREE [deb]]: the project's version in TREE (default:
# this one): module/dkms.conf's PACKAGE_VERSION, which the module
# (SNPF_VERSION), debian/changelog and rpm/snp-features.spec (Version, and
# its newest %changelog entry) must repeat. With 'deb', only what the
# Debian packages carry (dkms.conf, the module, debian/changelog): a
# release from before the spec. Prints it; dies naming every place that
# differs.
project_version() {
	local tree=${1:-$TOP} only=${2:-} ver mod deb spec= rpmlog=
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$tree/module/dkms.conf")
	mod=$(sed -n 's/^#define SNPF_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$tree/module/snp_features.c")
	deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$tree/debian/changelog")
	[ -n "$ver" ] || die "$tree/module/dkms.conf has no PACKAGE_VERSION"
	[ "$mod" = "$ver" ] && [ "$deb" = "$ver" ] ||
		die "one version for all: module/dkms.conf says '$ver', module/snp_features.c '$mod', debian/changelog '$deb'"
	if [ "$only" != deb ]; then
		[ -f "$tree/rpm/snp-features.spec" ] || die "$tree/rpm/snp-features.spec is missing"
		spec=$(sed -n 's/^Version:[[:space:]]*//p' "$tree/rpm/snp-features.spec")
		# The newest %changelog entry ends in "- [EPOCH:]VERSION-RELEASE".
		rpmlog=$(sed -n '/^%changelog/,${/^\* /{s/.* - \([0-9]*:\)\{0,1\}\([^ ]*\)-[^- ]*$/\2/p;q}}' "$tree/rpm/snp-features.spec")
		[ "$spec" = "$ver" ] && [ "$rpmlog" = "$ver" ] ||
			die "one version for all: module/dkms.conf says '$ver', rpm/snp-features.spec '$spec' (its newest %changelog entry '$rpmlog')"
	fi
	echo "$ver"
}

# export_tree DEST [REV]: the files git tracks in this checkout, copied to
# DEST (made if missing): those of the work tree, or of revision REV.
export_tree() {
	local dest=$1 rev=${2:-}
	mkdir -p "$dest"
	if [ -n "$rev" ]; then
		git -C "$TOP" archive "$rev" | tar -x -C "$dest" ||
			die "cannot export revision $rev of $TOP"
	else
		(cd "$TOP" && git ls-files -z | xargs -0 cp --parents -t "$dest") ||
			die "cannot copy the tracked files of $TOP (is it a git checkout?)"
	fi
}

# _changelog_version TREE COMMIT: the version of debian/changelog's first
# entry at COMMIT of TREE's history; empty where there is none.
_changelog_version() {
	{ git -C "$1" show "$2:debian/changelog" 2>/dev/null || true; } |
		sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p'
}

# previous_release [TREE]: the previous release of the packages, from the
# git history of this checkout (or TREE), as "COMMIT VERSION": the newest
# release tag vVERSION reachable from HEAD whose version is lower than the
# work tree's (dpkg's order). Without such a tag (a clone that did not
# fetch tags), the newest commit that raised the version in
# debian/changelog to one lower than the work tree's: a commit whose
# parent had a lower version or none (module.rst, "Releases"). Dies if
# history holds none, naming a shallow clone as the cause where it is one.
previous_release() {
	local top=${1:-$TOP} cur c v pv t best= bv=
	cur=$(project_version "$top") || return 1
	for t in $(git -C "$top" tag -l 'v[0-9]*' --merged HEAD); do
		v=${t#v}
		dpkg --compare-versions "$v" lt "$cur" 2>/dev/null || continue
		if [ -z "$bv" ] || dpkg --compare-versions "$v" gt "$bv"; then
			bv=$v best=$t
		fi
	done
	if [ -n "$best" ]; then
		echo "$(git -C "$top" rev-parse "$best^{commit}") $bv"
		return
	fi
	for c in $(git -C "$top" rev-list --first-parent HEAD -- debian/changelog); do
		v=$(_changelog_version "$top" "$c")
		[ -n "$v" ] && dpkg --compare-versions "$v" lt "$cur" || continue
		if git -C "$top" rev-parse -q --verify "$c^" >/dev/null 2>&1; then
			pv=$(_changelog_version "$top" "$c^")
		elif grep -qx "$c" "$(git -C "$top" rev-parse --path-format=absolute --git-path shallow)" 2>/dev/null; then
			die "this is a shallow clone, cut at $c, before the release of $v: run 'git fetch --unshallow'"
		else
			pv=
		fi
		# A raise: the parent had no version or a lower one.
		if [ -z "$pv" ] || dpkg --compare-versions "$pv" lt "$v"; then
			echo "$c $v"
			return
		fi
	done
	if [ "$(git -C "$top" rev-parse --is-shallow-repository)" = true ]; then
		die "this is a shallow clone, and its history has no release before $cur: run 'git fetch --unshallow'"
	fi
	die "git history has no release before $cur (no release tag, and debian/changelog never rose to a lower version)"
}

# The versions of snp_features in dkms' tree (not its kernel-* links).
_dkms_versions() {
	local v
	for v in /var/lib/dkms/snp_features/*; do
		[ -d "$v" ] && [ ! -L "$v" ] && echo "${v##*/}"
	done
	return 0
}

# packages_begin WHO [PACKAGE...]: for the checks that install this
# project's Debian packages (default: both; guest-test needs only
# snp-features-dkms). Takes a lock, so that two of them do not meet in
# dpkg and dkms' tree, and refuses to run over what would be a user's
# install, with the command that clears it: the packages, a dkms
# snp_features or its source in /usr/src, a snp_features module in
# /lib/modules, a snp-features command. The checks install and purge
# their own builds, and each of these would let them pass or fail for
# the wrong reason.
packages_begin() {
	local who=$1 p v found
	shift
	PACKAGES_OURS=${*:-snp-features snp-features-dkms}
	[ "$(id -u)" = 0 ] || die "$who needs root: it installs the Debian packages with dpkg -i"
	command -v dkms >/dev/null || die "dkms is missing (make setup as root installs it)"
	exec 9> /run/lock/snp_features-packages.lock
	flock -w 900 9 || die "another check holds /run/lock/snp_features-packages.lock"
	for p in $PACKAGES_OURS; do
		if dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^.[^n]'; then
			die "$p is installed on this machine (or its configuration is left), and $who installs and purges its own build: dpkg --purge $p first"
		fi
	done
	if [ -e /var/lib/dkms/snp_features ]; then
		v=$(_dkms_versions | head -1)
		[ -z "$v" ] || die "dkms holds snp_features $v (dkms status snp_features), and $who needs it clear: dkms remove snp_features/$v --all"
		die "/var/lib/dkms/snp_features is there, and $who needs it clear: remove it"
	fi
	found=$(ls -d /usr/src/snp_features-* 2>/dev/null | head -1 || true)
	[ -z "$found" ] || die "$found is there (a source directory for dkms), and $who needs it clear: remove it"
	found=$(find /lib/modules -name 'snp_features.ko*' 2>/dev/null | head -1 || true)
	[ -z "$found" ] || die "$found is installed, and $who needs /lib/modules clear of snp_features: remove it and run depmod"
	case " $PACKAGES_OURS " in
	*" snp-features "*)
		found=$(command -v snp-features || true)
		[ -z "$found" ] || die "$found is installed, and $who checks the packaged command: remove it first" ;;
	esac
}

# packages_end: purge the packages of packages_begin and check that
# nothing of them is left: no package, no dkms snp_features, no source in
# /usr/src, no module in /lib/modules. What a failed purge leaves is
# removed by force, and the check fails: a user's purge would have left
# it. Then releases the lock.
packages_end() {
	local left=() v log
	log=$(mktemp)
	# shellcheck disable=SC2086
	dpkg --purge $PACKAGES_OURS > "$log" 2>&1 ||
		left+=("dpkg --purge failed: $(tail -3 "$log" | tr '\n' ' ')")
	rm -f "$log"
	for v in $(_dkms_versions); do
		left+=("dkms snp_features/$v")
		dkms remove -q "snp_features/$v" --all >/dev/null 2>&1 || true
	done
	if [ -e /var/lib/dkms/snp_features ]; then
		left+=("/var/lib/dkms/snp_features")
		rm -rf /var/lib/dkms/snp_features
	fi
	for v in /usr/src/snp_features-*; do
		[ -e "$v" ] || continue
		left+=("$v")
		rm -rf "$v"
	done
	for v in $(find /lib/modules -name 'snp_features.ko*' 2>/dev/null); do
		left+=("$v")
		rm -f "$v"
		v=${v#/lib/modules/}
		depmod -a "${v%%/*}" 2>/dev/null || true
	done
	flock -u 9 2>/dev/null || true
	exec 9>&-
	if [ ${#left[@]} -gt 0 ]; then
		printf 'error: the purge left: %s\n' "${left[@]}" >&2
		return 1
	fi
}

# Compare two dotted versions: version_le A B is true if A <= B.
version_le() {
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$1" ]
}

# The series directory that serves Linux VERSION ("6.1.3"): the one under
# patches/ whose 'range' file ("FIRST LAST") includes it. Ranges do not
# overlap (testing/checks/docs checks that).
series_for_version() {
	local ver=$1 d first last served= hint=
	for d in "$TOP"/patches/*/; do
		d=${d%/}
		[ -f "$d/range" ] || continue
		read -r first last < "$d/range" || true
		[ -n "$first" ] && [ -n "$last" ] || die "$d/range: expected 'FIRST LAST'"
		if version_le "$first" "$ver" && version_le "$ver" "$last"; then
			echo "$d"
			return
		fi
		served="$served ${d##*/} ($first-$last)"
		# Same branch, before a fixes-only series: upstream's version
		# is there, but not yet the change that series builds on.
		if [ "${ver%.*}" = "${first%.*}" ] && version_le "$ver" "$first" &&
		   [ "$(series_kind "$d")" = fixes ]; then
			hint="; Linux $ver has upstream's feature negotiation but lacks 9073428bb204 (IbpbOnEntry allowed, in $first): apply that first, then ${d##*/}"
		fi
	done
	die "no series for Linux $ver (series:${served:- none})$hint"
}

# What a series carries: 'full' (the whole feature, for kernels without
# upstream's version), 'fixes' (our fixes alone, for kernels with it) or
# 'prereq' (a test-only stand-in for an upstream commit another series
# needs), from its 'kind' file.
series_kind() {
	local k
	[ -f "$1/kind" ] || die "$1/kind is missing (full or fixes)"
	k=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1/kind")
	case $k in full|fixes|prereq) echo "$k" ;;
	*) die "$1/kind: '$k' is none of full, fixes, prereq" ;; esac
}

# The series directory that fits a tree: the series whose range covers
# the tree's version, or the test-only series for the prepared default tree.
series_for_tree() {
	local tree=$1
	if [ -f "$tree/.snp-negotiation-default-tree" ]; then
		echo "$TOP/testing/series/debian-6.1"
		return
	fi
	series_for_version "$(kernel_version "$tree")"
}

# Series directories to apply before a series, in order: those its
# 'prerequisites' file names (paths relative to this repository).
series_prerequisites() {
	local p
	[ -f "$1/prerequisites" ] || return 0
	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		[ -f "$TOP/$p/series" ] || die "$1/prerequisites names $p, which is not a series"
		echo "$TOP/$p"
	done < "$1/prerequisites"
}

# Patch files of a series, in the order of its 'series' file, after
# those of its prerequisites.
series_patches() {
	local pre
	for pre in $(series_prerequisites "$1"); do
		series_own_patches "$pre"
	done
	series_own_patches "$1"
}

series_own_patches() {
	local dir p
	dir=$(cd "$1" && pwd) || die "no series directory $1"
	[ -f "$dir/series" ] || die "$dir/series is missing"
	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		[ -f "$dir/$p" ] || die "$dir/series names $p, which does not exist"
		echo "$dir/$p"
	done < "$dir/series"
}

# git with the one identity of the checks' scratch commits (git am,
# merges, reverts in clones): check_git -C DIR ARGS... (The default
# tree's own two commits keep theirs: their ids are part of its record.)
check_git() {
	git -c user.name=snp-check -c user.email=snp-check@localhost "$@"
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
	# A clone already on a series applied to this very base stays where it
	# is (apply_series decides whether that series is still current): files
	# rewritten with the same content get new times, and every build of
	# the clone would then recompile what includes them.
	if [ "$(git -C "$dst" rev-parse -q --verify check-base)" = "$(git -C "$dst" rev-parse FETCH_HEAD)" ] &&
	   [ "$(git -C "$dst" symbolic-ref -q --short HEAD)" = check-series ] &&
	   [ -z "$(git -C "$dst" status --porcelain --untracked-files=no)" ]; then
		echo "$dst"
		return
	fi
	git -C "$dst" checkout -q -f -B check-base FETCH_HEAD
	git -C "$dst" clean -q -fdx
	git -C "$dst" config --unset snpneg.applied || true
	echo "$dst"
}

# Apply a series onto check-base of a clone, exactly: no fuzz, no 3-way
# merge. Leaves the clone on branch check-series. When the clone already
# holds the same series (same patch files) on the same base, nothing is
# rewritten, unless APPLY_FORCE=1 (the am check, which must run git am).
apply_series() {
	local tree=$1 dir=$2 key
	# shellcheck disable=SC2046
	key=$(git -C "$tree" rev-parse check-base)-$(cat $(series_patches "$dir") | sha1sum | cut -c1-16)
	if [ "${APPLY_FORCE:-0}" != 1 ] &&
	   [ "$(git -C "$tree" config --get snpneg.applied || true)" = "$key" ] &&
	   [ "$(git -C "$tree" symbolic-ref -q --short HEAD)" = check-series ] &&
	   [ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
		return 0
	fi
	git -C "$tree" config --unset snpneg.applied || true
	git -C "$tree" checkout -q -f -B check-series check-base
	# shellcheck disable=SC2046
	check_git -C "$tree" am -q --no-3way $(series_patches "$dir")
	git -C "$tree" config snpneg.applied "$key"
}

# The one kernel build of a tree shared by the checks that boot or load
# modules (boot, explain, boot-negotiation, boot-stress, kunit,
# kunit-mutants, module-build, guest-test):
# testing/kconfig/boot.config + modules.config, in $(boot_build_dir TREE).
boot_build_dir() { echo "$CACHE/build/$(tree_tag "$1")/boot"; }
boot_fragments() { echo "$KCONFIG/boot.config $KCONFIG/modules.config"; }

# patched_build TREE SERIES_DIR: the tree's scratch clone with the series
# applied (WORK) and its shared boot build (OUT), built unless its record
# holds (BUILD_TARGET as build-kernel takes it). Sets WORK and OUT.
patched_build() {
	WORK=$(work_clone "$1" "$(tree_tag "$1")")
	apply_series "$WORK" "$2"
	OUT=$(boot_build_dir "$1")
	# shellcheck disable=SC2046
	"$TLIB/build-kernel" "$WORK" "$OUT" $(boot_fragments)
}

# strict_module_build DIR MAKE-COMMAND...: build module/ (snp_features.ko)
# afresh in DIR with W=1 and sparse (C=1) through the make command (make
# -C for a headers package, kmake TREE OUT for a tree); fails on a build
# error and on any warning about the module's files. Log: DIR/build.log.
strict_module_build() {
	local bdir=$1
	shift
	rm -rf "$bdir"
	mkdir -p "$bdir"
	cp "$TOP"/module/{Makefile,snp_features.c,snp_features_table.h} "$bdir/"
	if ! "$@" M="$bdir" W=1 C=1 modules > "$bdir/build.log" 2>&1; then
		tail -20 "$bdir/build.log" >&2
		echo "the module does not build (log: $bdir/build.log)" >&2
		return 1
	fi
	if grep -E '(warning|error):' "$bdir/build.log" | grep -q snp_features; then
		grep -E '(warning|error):' "$bdir/build.log" >&2
		echo "the module's build has warnings (log: $bdir/build.log)" >&2
		return 1
	fi
}

# boot_initrd OUT: the initramfs of the boot checks (testing/guest/
# boot-init), OUT/boot-initrd.gz.
boot_initrd() {
	"$TLIB/mkinitramfs" "$1/boot-initrd.gz" "$TOP/testing/guest/boot-init"
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

# The trees 'make check' runs its tree checks on, one per line:
# "TARGET TREE SERIES_DIR". With KSRC, that tree alone (target "", the
# series from SERIES or its version); else the default tree with the
# test-only full series, and Debian's 6.12 as shipped with the fixes-only
# series of its version (the main job, SNPNEG_SUITE=run: the first alone).
check_trees() {
	local t
	if [ -n "${KSRC:-}" ]; then
		t=$(resolve_tree)
		echo " $t ${SERIES:-$(series_for_tree "$t")}"
		return
	fi
	t=$(resolve_tree)
	echo "debian-6.1 $t $(series_for_tree "$t")"
	# The main job ('make', suite run) shows the feature on that tree alone.
	[ "${SNPNEG_SUITE:-}" != run ] || return 0
	t=$("$TOP/scripts/prepare-debian-tree" "$(config_mk DEBIAN_612_SOURCE)" \
		"$(config_mk DEBIAN_612_VERSION)") || exit 1
	echo "debian-6.12 $t $(series_for_tree "$t")"
}

# A short name for a tree, for scratch directories.
tree_tag() {
	local tree=$1
	echo "$(basename "$tree")-$(echo "$tree" | md5sum | cut -c1-8)"
}

# make in a kernel tree for x86_64 with ccache: kmake TREE OUTDIR ARGS...
# (OUTDIR may be empty for an in-tree build). A make of the kernel itself
# (no M=) may change what OUTDIR holds, so it voids build-kernel's record
# of an up-to-date build there; an external module build (M=) does not.
kmake() {
	local tree=$1 out=$2 a cfg nobtf=()
	shift 2
	if [ -n "$out" ]; then
		for a in "$@"; do
			case $a in M=*) break ;; esac
		done
		case ${a:-} in M=*) ;; *) rm -f "$out/.build-kernel.done" ;; esac
	fi
	# PAHOLE_FLAGS matters only for BTF, but the top Makefile of 5.19 to
	# 6.1 exports it computed by shell scripts (pahole-flags.sh, which
	# runs pahole), so make runs them again for many of the commands it
	# starts: about 1 s of every small make on two cores (a perf profile
	# of make check, 2026-11-29). A configuration without
	# BTF gets it empty instead; it reaches no command then. Not for a
	# make that configures, which may turn BTF on.
	cfg=${out:-$tree}/.config
	if [ -f "$cfg" ] && ! grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$cfg"; then
		nobtf=(PAHOLE_FLAGS=)
		for a in "$@"; do
			case $a in *config) nobtf=() ;; esac
		done
	fi
	# The same objects link to the same image: no build number, time,
	# user or host of this build in it (unless the caller sets them).
	# ccache's depend mode takes the dependencies from the compiler's
	# -MMD output instead of running the preprocessor again on a miss
	# (measured on bisect-build, 2026-11-29).
	CCACHE_DEPEND=${CCACHE_DEPEND:-true} \
	KBUILD_BUILD_VERSION=${KBUILD_BUILD_VERSION:-1} \
	KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-"Thu Jan  1 00:00:00 UTC 1970"} \
	KBUILD_BUILD_USER=${KBUILD_BUILD_USER:-snp-negotiation} \
	KBUILD_BUILD_HOST=${KBUILD_BUILD_HOST:-localhost} \
		make -C "$tree" ${out:+O="$out"} ARCH=x86_64 CC="ccache gcc" "${nobtf[@]}" "$@"
}

# What a configuration or a build of TREE is made from, as one hash: the
# tree's commit and any change to its files (untracked ones included),
# the given files (fragments), the toolchain (Kconfig asks the compiler
# and linker), and the code of this library. build_key TREE FILE...
build_key() {
	local tree=$1
	shift
	{
		echo "$tree"
		git -C "$tree" rev-parse HEAD
		git -C "$tree" status --porcelain
		git -C "$tree" diff HEAD
		cat "$@"
		gcc --version | head -1
		ld --version | head -1
		cat "$TLIB/lib.sh"
	} | sha1sum | cut -c1-40
}

# A small x86_64 configuration in OUTDIR: tinyconfig plus the fragments,
# then olddefconfig; fails if an option that a fragment sets, or unsets,
# did not survive (unless --no-verify: for fragments that name options a
# tree may not have yet). kconfigure [--no-verify] TREE OUTDIR FRAGMENT...
kconfigure() {
	local verify=1 tree out key memo
	[ "$1" != --no-verify ] || { verify=0; shift; }
	tree=$1 out=$2
	shift 2
	mkdir -p "$out"
	# The same tree and fragments give the same .config, so each result
	# is kept under its key (OUTDIR/.kconfigure/KEY, the last few): when
	# one is there, it is the .config, and the five make runs of Kconfig
	# are saved. A bisect steps back and forth between trees whose
	# Kconfig files differ, hence more than one.
	key=$(build_key "$tree" "$@")
	memo=$out/.kconfigure/$(echo "$key" | sha1sum | cut -c1-40)
	if [ -f "$memo" ]; then
		# cp without -p: make sees the new .config and syncs to it.
		cmp -s "$memo" "$out/.config" || cp "$memo" "$out/.config"
		touch "$memo"
		kconfigure_verify $verify "$tree" "$out" "$@"
		return
	fi
	# The .config of an earlier run, kept with its time: when the new one
	# is the same, it goes back, so that make sees no configuration change
	# (a rewritten .config costs a syncconfig and relinks).
	rm -f "$out/.config.kconfigure"
	[ ! -f "$out/.config" ] || cp -p "$out/.config" "$out/.config.kconfigure"
	kmake "$tree" "$out" -s tinyconfig >/dev/null 2>&1 || die "tinyconfig failed in $tree"
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$@" >/dev/null 2>&1 ||
		die "merging $* into $out/.config failed"
	kmake "$tree" "$out" -s olddefconfig >/dev/null 2>&1 || die "olddefconfig failed in $out"
	if [ -f "$out/.config.kconfigure" ] && cmp -s "$out/.config" "$out/.config.kconfigure"; then
		mv -f "$out/.config.kconfigure" "$out/.config"
	else
		rm -f "$out/.config.kconfigure"
	fi
	kconfigure_verify $verify "$tree" "$out" "$@"
	mkdir -p "$out/.kconfigure"
	rm -f "$out/.kconfigure/"*.tmp
	cp "$out/.config" "$memo.tmp" && mv -f "$memo.tmp" "$memo"
	find "$out/.kconfigure" -type f -printf '%T@ %p\n' | sort -rn | tail -n +9 |
		cut -d' ' -f2- | xargs -r -d '\n' rm -f
	rm -f "$out/.kconfigure.key"
}

# kconfigure_verify 0|1 TREE OUTDIR FRAGMENT...: with 1, every option
# that a fragment sets, or unsets, is so in OUTDIR/.config.
kconfigure_verify() {
	local verify=$1 tree=$2 out=$3 f line name
	shift 3
	[ "$verify" = 1 ] || return 0
	for f in "$@"; do
		while read -r line; do
			case $line in
			CONFIG_*=*) grep -qx -- "$line" "$out/.config" ||
				die "$line from $(basename "$f") did not survive olddefconfig in $tree" ;;
			'# CONFIG_'*' is not set')
				name=${line#\# } name=${name% is not set}
				! grep -q "^$name=" "$out/.config" ||
					die "$name from $(basename "$f") is set after olddefconfig in $tree" ;;
			esac
		done < "$f"
	done
}

# QEMU through the one command builder (testing/lib/snpneg/qemu.py):
# qemu_run [--firmware F] [--cpu C] [--mem M] [--append A] [--timeout S] --log FILE KERNEL [INITRD]
qemu_run() {
	python3 -m snpneg.qemu "$@"
}

# --- The registry of checks (testing/checks.tbl) -------------------------
# Columns: name scope suites description. A check's name is its file in
# testing/checks/ and its make target.

registry() {
	[ -f "$REGISTRY" ] || die "no registry of checks at $REGISTRY"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$REGISTRY"
}

# Every entry well formed, every name unique and an executable in
# testing/checks/, every executable there registered.
registry_lint() {
	local errs
	errs=$(registry | awk '
		NF < 4 { print "line \"" $0 "\": needs name, scope, suites and a description"; next }
		$2 !~ /^(static|tree|full|self)$/ { print $1 ": scope must be static, tree, full or self, not " $2 }
		$3 !~ /^(-|(check|matrix|run)(,(check|matrix|run))*)$/ {
			print $1 ": suites must be - or a list of check, matrix, run, not " $3 }
		$2 !~ /^(tree|full)$/ && $3 ~ /matrix/ { print $1 ": only tree checks can be in the matrix suite" }
		seen[$1]++ { print $1 ": declared twice" }')
	local n f
	for n in $(registry | awk '{ print $1 }'); do
		[ -x "$CHECKS/$n" ] || errs+=$'\n'"$n: no executable $CHECKS/$n"
	done
	for f in "$CHECKS"/*; do
		n=$(basename "$f")
		registry | awk -v n="$n" '$1 == n { found = 1 } END { exit !found }' ||
			errs+=$'\n'"$n: $f is not in the registry"
	done
	errs=$(echo "$errs" | sed '/^$/d')
	[ -z "$errs" ] || die "$REGISTRY is not valid:"$'\n'"$errs"
}

# Names of all checks, or of those in SUITE: check_names [SUITE]
check_names() {
	registry | awk -v s="${1:-}" 's == "" || index("," $3 ",", "," s ",") { print $1 }'
}

# One field of a check: check_field NAME scope|suites|description
check_field() {
	local col
	case $2 in scope) col=2 ;; suites) col=3 ;; description) col=4 ;;
	*) die "check_field: no field '$2'" ;; esac
	registry | awk -v n="$1" -v c=$col '$1 == n {
		if (c < 4) print $c; else { $1 = $2 = $3 = ""; sub(/^ +/, ""); print } }'
}

# Fail with the list of known checks unless NAME is one.
known_check() {
	[ -n "$(check_field "$1" scope)" ] && return 0
	die "unknown check '$1'; known checks: $(check_names | tr '\n' ' ')"
}
