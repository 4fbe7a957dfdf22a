#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-mutants.sh TREE SERIES_DIR
# Apply the series to a clone of TREE, build a small kernel once with the
# KUnit suite as a module (kconfig/boot.config + kconfig/modules.config),
# then let kunit/run-mutants try every mutant of kunit/mutants.py.

. "$(dirname "$0")/../scripts/lib.sh"

[ $# -eq 2 ] || die "usage: run-mutants.sh TREE SERIES_DIR"
src=$1 series=$2
work=$(work_clone "$src" "$(tree_tag "$src")")
apply_series "$work" "$series"
out=$CACHE/build/$(tree_tag "$src")/modules
"$TOP/scripts/build-kernel" "$work" "$out" "$TOP/kconfig/boot.config" "$TOP/kconfig/modules.config"
python3 "$TOP/kunit/run-mutants" "$work" "$out"
