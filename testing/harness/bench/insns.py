#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""insns.py BUILD_DIR FUNCTION

Boot BUILD_DIR's bzImage under QEMU (TCG, SeaBIOS, no SEV) stopped for
gdb, and count the instructions that one call of FUNCTION in the
decompressor executes on this non-SNP boot (callees included). Prints the
count, or 'absent' if the decompressor has no such function.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / "lib"), str(HERE.parent / "boot-negotiation")]
from snpneg import qemu  # noqa: E402
from run import free_port, runtime_base, symbols  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: insns.py BUILD_DIR FUNCTION")
    build, func = Path(sys.argv[1]), sys.argv[2]
    syms = symbols(build / "arch/x86/boot/compressed/vmlinux")
    if func not in syms:
        print("absent")
        return
    bzimage = build / "arch/x86/boot/bzImage"
    port = free_port()
    q = subprocess.Popen(qemu.command(bzimage, serial=os.devnull, gdb_port=port, stopped=True,
                                      append="nokaslr"),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = dict(os.environ, SNPNEG_COUNT=json.dumps(
            {"port": port, "entry": runtime_base(bzimage, syms) + syms[func]}))
        g = subprocess.run(["gdb", "-nx", "-batch", "-x", str(HERE / "count_insns.py")],
                           env=env, capture_output=True, text=True, timeout=300)
    finally:
        q.kill()
        q.wait()
    for line in g.stdout.splitlines():
        if line.startswith("SNPNEG-COUNT "):
            print(line.split()[1])
            return
    sys.exit(f"no count from gdb:\n{g.stdout[-2000:]}{g.stderr[-2000:]}")


if __name__ == "__main__":
    main()
