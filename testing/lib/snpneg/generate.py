# SPDX-License-Identifier: GPL-2.0
"""The command line of the generators of shipped files from the project's
tables (scripts/gen-module-table.py, scripts/gen-reason-table.py)."""

import sys
from pathlib import Path


def main(script, load, render):
    """SCRIPT TABLE OUT [--check]: write OUT from TABLE, or with --check
    exit 1 when OUT is not what TABLE gives."""
    args = sys.argv[1:]
    if len(args) not in (2, 3) or (len(args) == 3 and args[2] != "--check"):
        sys.exit(f"usage: {script} TABLE OUT [--check]")
    text = render(load(args[0]))
    out = Path(args[1])
    if len(args) == 3:
        if not out.is_file() or out.read_text() != text:
            sys.exit(f"{out} is out of date: run scripts/{script} {args[0]} {out}")
        print(f"  -> {out.name}: matches the table")
        return
    out.write_text(text)
