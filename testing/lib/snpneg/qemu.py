# SPDX-License-Identifier: GPL-2.0
"""The one place that knows how to start QEMU for this project.

Every boot (plain boots, guests of the module test, KUnit mutants, the
boot-negotiation harness) takes its command line from command(). Machine
parameters are data here; callers say only what differs for them.

Shell callers use the command-line form:
  python3 -m snpneg.qemu [--firmware bios|ovmf] [--cpu CPU] [--mem MiB]
                         [--append ARGS] [--timeout SECONDS] --log FILE
                         KERNEL [INITRD]
which runs QEMU with no standard input, its console in FILE, and exits with
QEMU's status (124 when the time limit ended it).
"""

import argparse
import os
import subprocess
import sys

BINARY = "qemu-system-x86_64"
OVMF = "/usr/share/ovmf/OVMF.fd"
MACHINE = {"machine": "q35", "cpu": "qemu64", "mem": 512, "smp": 1}
# The console on the first serial port; panic stops the machine at once.
APPEND = "console=ttyS0 panic=-1"
FIRMWARES = ("bios", "ovmf")


def command(kernel, initrd=None, *, firmware="bios", append="", cpu=None, mem=None,
            serial="stdio", gdb_port=None, stopped=False, reboot=False, extra=()):
    """argv for QEMU (TCG) booting KERNEL.

    firmware: 'bios' (SeaBIOS loads the bzImage: the decompressor path) or
    'ovmf' (OVMF starts it as an EFI application: the EFI stub path).
    serial: 'stdio' or a file path for the console. gdb_port: a gdb stub on
    127.0.0.1; stopped: wait for gdb before the first instruction.
    """
    if firmware not in FIRMWARES:
        raise ValueError(f"firmware must be one of {FIRMWARES}, not {firmware!r}")
    argv = [BINARY, "-machine", MACHINE["machine"], "-cpu", cpu or MACHINE["cpu"],
            "-m", str(mem or MACHINE["mem"]), "-smp", str(MACHINE["smp"]),
            "-nodefaults", "-display", "none",
            "-serial", "stdio" if serial == "stdio" else f"file:{serial}"]
    if not reboot:
        argv.append("-no-reboot")
    if firmware == "ovmf":
        if not os.path.isfile(OVMF):
            raise FileNotFoundError(f"{OVMF} is missing (apt-get install ovmf)")
        argv += ["-bios", OVMF]
    argv += ["-kernel", str(kernel)]
    if initrd:
        argv += ["-initrd", str(initrd)]
    argv += ["-append", f"{APPEND} {append}".strip()]
    if gdb_port is not None:
        argv += ["-gdb", f"tcp:127.0.0.1:{gdb_port}"]
    if stopped:
        argv.append("-S")
    return argv + list(extra)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m snpneg.qemu",
                                description="Boot a kernel under QEMU (TCG).")
    p.add_argument("--firmware", default="bios", choices=FIRMWARES)
    p.add_argument("--cpu")
    p.add_argument("--mem", type=int)
    p.add_argument("--append", default="")
    p.add_argument("--timeout", type=int, default=300)
    p.add_argument("--log", required=True)
    p.add_argument("kernel")
    p.add_argument("initrd", nargs="?")
    a = p.parse_args(argv)
    for f in (a.kernel, a.initrd):
        if f and not os.path.isfile(f):
            p.error(f"no such file: {f}")
    try:
        cmd = command(a.kernel, a.initrd, firmware=a.firmware, append=a.append,
                      cpu=a.cpu, mem=a.mem)
    except (ValueError, FileNotFoundError) as e:
        p.error(str(e))
    with open(a.log, "wb") as log:
        try:
            return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT, timeout=a.timeout).returncode
        except subprocess.TimeoutExpired:
            return 124


if __name__ == "__main__":
    sys.exit(main())
