# SPDX-License-Identifier: GPL-2.0
"""Shared Python code of the project's checks and tools.

snpneg.table    the SEV_STATUS bit table (sev-features.tbl)
snpneg.series   reading patch series: order, subjects, added lines
snpneg.report   one result type and one printer for every check
snpneg.qemu     the one QEMU command line builder
snpneg.console  guest consoles: marker lines and the kselftest's TAP output
snpneg.kunit    the KUnit suite's source (kunit/) and its manifest
snpneg.gdbproxy a slow line between gdb and QEMU, for boot-stress
snpneg.results  check results as data, the summary and the closing line
snpneg.breaks   deliberate breaks as data: negative controls, mutants

Callers get testing/lib on sys.path from testing/lib/lib.sh (PYTHONPATH)
or, when run by hand, by putting it there themselves (the checks and
harnesses insert it relative to their own file).
"""
