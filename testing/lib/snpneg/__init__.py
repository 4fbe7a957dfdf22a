# SPDX-License-Identifier: GPL-2.0
"""Shared Python code of the project's checks and tools.

snpneg.table    the SEV_STATUS bit table (sev-features.tbl)
snpneg.series   reading patch series: order, subjects, added lines
snpneg.report   one result type and one printer for every check
snpneg.qemu     the one QEMU command line builder
snpneg.console  guest consoles: marker lines and the kselftest's TAP output

Callers get testing/lib on sys.path from testing/lib/lib.sh (PYTHONPATH)
or, when run by hand, through snpneg_path.py beside them.
"""
