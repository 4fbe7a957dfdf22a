# SPDX-License-Identifier: GPL-2.0
#
# SEV-SNP guest feature negotiation: series, checks and tools.
#
#   make              the main job: install what is missing (as root),
#                     prepare the default tree (or use KSRC), apply the
#                     series, build and boot the patched kernel, and show
#                     a guest refusing a feature, the host's log line and
#                     snp-features' explanation of it
#   make check        every check of the 'check' suite; ends with
#                     "N passed, N failed"
#   make NAME         one check (make help lists them)
#   make stress       the snp_features module on a debug kernel (KASAN,
#                     lockdep, kmemleak); not part of 'make check'
#   make boot-stress  the boot-negotiation sites many times in a row on a
#                     busy machine (BOOTNEG_STRESS="efi=100 ..."); hours
#   make matrix TREES="6.1.y=/path 6.0.y=/path 5.19.y=/path"
#                     the 'matrix' checks on every tree, as a table
#   make bench        sizes, instruction counts and stage times
#   make tools        build the snp-features tool (make install PREFIX=...)
#   make help         this text and the list of checks
#
# KSRC=/path/to/linux   a git tree at a series' base instead of the
#                       default tree made from Debian's linux-source-6.1
# CACHE=dir             where trees, builds and ccache live
#                       (default ~/.cache/snp-negotiation)

include config.mk

export KSRC CACHE SERIES JOBS BOOT_TIMEOUT FULL BRANCHES UPGRADE_TO UPGRADE_TREE

# Every check is declared once, in testing/checks.tbl.
CHECK_NAMES := $(shell sed -e 's/\#.*//' testing/checks.tbl | awk 'NF { print $$1 }')

.PHONY: all run check matrix bench help prepare module selftests tools install \
	refresh-test-series setup deb $(CHECK_NAMES)

all: run

# The Debian packages of testing/packages: installed when run as root,
# otherwise the one apt-get command to run is printed.
setup:
	@scripts/setup

run: setup
	@scripts/run-checks --suite run

check: setup
	@scripts/run-checks --suite check

# One check alone installs nothing: 'make setup' (as root) first.
$(CHECK_NAMES):
	@scripts/run-checks $@

matrix: setup
	@TREES="$(TREES)" scripts/matrix

bench: setup
	@scripts/bench

prepare:
	@scripts/prepare-default-tree && cat $${CACHE:-$$HOME/.cache/snp-negotiation}/default-tree.path

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

# The Debian packages snp-features and snp-features-dkms (and the source
# package), built with debhelper and dh-dkms into CACHE/deb-build.
deb:
	@scripts/build-deb

# After a change to DEBIAN_LINUX_VERSION: re-apply the test-only series to
# the new default tree with 3-way merge and export it again. Review the
# result and run 'make check'.
refresh-test-series:
	@scripts/refresh-test-series

help:
	@awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' Makefile
	@echo
	@echo "Checks (testing/checks.tbl: name, scope, suites, description):"
	@scripts/run-checks --list
	@echo
	@echo "Parameters (testing/parameters: name, default, what it does):"
	@awk -F'|' '!/^#/ && $$3 == "user" { printf "  %-20s %-30s %s\n", $$1, $$2, $$4 }' testing/parameters
