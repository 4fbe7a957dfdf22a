# SPDX-License-Identifier: GPL-2.0
"""Fixture test of testing/lib/object-warnings.py, which bisect-build uses
to keep each object's warnings across prefixes (bisect-logs/: make
-Otarget logs with the tree at /W and the output directory at /O/y).
Run: python3 test_object_warnings.py [SCRIPT] (exit 1 on any mismatch)."""

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = sys.argv[1] if len(sys.argv) > 1 else str(HERE.parent / "lib/object-warnings.py")
LOGS = HERE / "bisect-logs"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_check import check, exit_status  # noqa: E402


def run(log, diag):
    out = subprocess.run([sys.executable, SCRIPT, str(LOGS / log), str(diag), "/W", "/O/y"],
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def read(diag, obj):
    f = diag / (obj.replace("/", "%") + ".w")
    return f.read_text().splitlines() if f.exists() else None


with tempfile.TemporaryDirectory() as d:
    diag = Path(d)
    other = run("base.log", diag)
    check("warnings outside any object's recipe go to standard output", other, [
        "Kconfig: warning: something about the configuration",
        "arch/x86/kernel/sev.o: warning: objtool: outside an object's own recipe"])
    check("an object keeps its compiler's and sparse's warnings, without paths or lines",
          read(diag, "arch/x86/boot/compressed/sev.o"), [
              "arch/x86/boot/compressed/misc.h: warning: conflicting types for built-in "
              "function 'malloc' [-Wbuiltin-declaration-mismatch]",
              "arch/x86/boot/compressed/sev.c: warning: no previous prototype for "
              "'do_boot_stage2_vc' [-Wmissing-prototypes]",
              "arch/x86/boot/compressed/sev.c: warning: symbol 'boot_ghcb_page' was not "
              "declared. Should it be static?",
              "arch/x86/lib/inat-tables.c: warning: symbol 'inat_primary_table' was not "
              "declared. Should it be static?"])
    check("an object built as an external directory (absolute path) is the same object",
          read(diag, "arch/x86/boot/compressed/idt_64.o"), [
              "arch/x86/boot/compressed/idt_64.c: warning: no previous prototype for "
              "'load_stage1_idt' [-Wmissing-prototypes]"])
    run("next.log", diag)
    check("a recompiled object's warnings are replaced", read(diag, "arch/x86/kernel/sev.o"), [
        "arch/x86/kernel/sev.c: warning: a new one [-Wunused-variable]",
        "arch/x86/kernel/sev.c: warning: symbol 'x' was not declared. Should it be static?"])
    check("an object the log does not show keeps its warnings",
          len(read(diag, "arch/x86/boot/compressed/sev.o") or []), 4)
sys.exit(exit_status())
