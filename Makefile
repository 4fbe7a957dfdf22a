# SPDX-License-Identifier: GPL-2.0
#
# SEV-SNP guest feature negotiation: series, checks and tools.
#
#   make            prepare the default tree (or use KSRC), apply the
#                   series, build and boot the patched kernel
#   make check      every check; ends with "N passed, N failed"
#
# KSRC=/path/to/linux   a git tree at a series' base instead of the
#                       default tree made from Debian's linux-source-6.1
# CACHE=dir             where trees, builds and ccache live
#                       (default ~/.cache/snp-negotiation)

include config.mk

export KSRC CACHE SERIES JOBS BOOT_TIMEOUT

CHECKS_STATIC := table tables sync scripts
CHECKS_TREE   := am checkpatch bisect boot negotiation kunit mutants guest

.PHONY: all run check prepare tools install check-am checkpatch bisect-build boot \
	check-table check-sync check-scripts kunit kunit-mutants \
	matrix guest-test module selftests boot-negotiation refresh-test-series help

all: run

run:
	@scripts/run-checks am boot

check:
	@scripts/run-checks $(CHECKS_STATIC) $(CHECKS_TREE)

prepare:
	@scripts/prepare-default-tree && cat $${CACHE:-$$HOME/.cache/snp-negotiation}/default-tree.path

check-am:
	@scripts/run-checks am
checkpatch:
	@scripts/run-checks checkpatch
bisect-build:
	@scripts/run-checks bisect
boot:
	@scripts/run-checks boot
check-table:
	@scripts/run-checks table
check-sync:
	@scripts/run-checks sync
check-scripts:
	@scripts/run-checks scripts

# The KUnit suite on the default tree, and on KSRC as well when given.
kunit:
	@scripts/run-checks kunit-all
kunit-mutants:
	@scripts/run-checks mutants

# The real decompressor's check under QEMU + gdb, with injected SEV_STATUS.
boot-negotiation:
	@scripts/run-checks negotiation

# The snp_features module and its kselftest in QEMU guests: Debian's stock
# 6.1 and 6.12 kernels and the patched kernel.
guest-test:
	@scripts/run-checks guest

# Build the module for the running kernel, or for KDIR=<kernel build dir>.
module:
	$(MAKE) -C module $(if $(KDIR),KDIR=$(KDIR))

# Build the kselftest standalone against KSRC (default: the default tree).
selftests:
	$(MAKE) -C selftests KSRC=$${KSRC:-$$(scripts/prepare-default-tree >/dev/null && cat $${CACHE:-$$HOME/.cache/snp-negotiation}/default-tree.path)}

# The snp-features command-line tool: builds tools/snp-features/snp-features.
# make install PREFIX=/usr/local DESTDIR= installs it and its man page.
tools:
	$(MAKE) -C tools/snp-features
install:
	$(MAKE) -C tools/snp-features install $(if $(PREFIX),PREFIX=$(PREFIX)) $(if $(DESTDIR),DESTDIR=$(DESTDIR))

# Every check on several trees: make matrix TREES="6.1.y=/path 6.0.y=/path 5.19.y=/path"
matrix:
	@TREES="$(TREES)" scripts/matrix

# After a change to DEBIAN_LINUX_VERSION: re-apply the test-only series to
# the new default tree with 3-way merge and export it again. Review the
# result and run 'make check'.
refresh-test-series:
	@scripts/refresh-test-series

help:
	@sed -n 's/^#\( \|$$\)//p' Makefile | sed -n '3,12p'
