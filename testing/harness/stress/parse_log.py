#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""parse_log.py NAME CONSOLE_LOG

Read the console of a stress guest (testing/guest/stress-init on a debug
kernel): the load/unload cycles, rmmod while a file is held open, the
kselftest, the kmemleak scan, and every report of the kernel's debug
checks. Any "BUG:" or "WARNING:" line anywhere in the console, and any
"kmemleak: ... suspected memory leak" line after the stress began, is a
problem. Prints a short summary; exits 1 on any problem or missing result.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))
from snpneg import console  # noqa: E402

START = "snp_features stress: start"
REPORT = re.compile(r"(BUG:|WARNING:|general protection fault|Oops)")
LEAK = re.compile(r"kmemleak: .*suspected memory leak")


def parse(text):
    """(summary fields, problems) of one console log."""
    problems = []

    def grab(pattern):
        return console.grab(text, pattern)

    release = grab(r"^STRESS-BEGIN release=(\S+)")
    if release is None:
        return {"release": "?"}, ["the guest never reached its init"]
    f = {"release": release}
    for line in text.splitlines():
        if REPORT.search(line):
            problems.append("kernel: " + line.strip())
    _, _, after = text.partition(START)
    if not after:
        problems.append("the stress never started")
    for line in after.splitlines():
        if LEAK.search(line):
            problems.append("kernel: " + line.strip())

    cyc = re.search(r"^STRESS-CYCLES (\d+)/(\d+) busy=(\d+) reads=(\d+) readers=(\d+)(?: error=(.*))?$",
                    text, re.M)
    if not cyc:
        problems.append("no result of the load/unload cycles")
        f["cycles"] = "missing"
    else:
        done, want, busy, reads, readers, err = cyc.groups()
        f["cycles"] = f"{done}/{want} cycles, {readers} readers, {reads} reads, {busy} busy rmmods"
        if err or done != want:
            problems.append(f"load/unload: {err or f'{done} of {want} cycles'}")
        if int(reads) == 0:
            problems.append("the readers read nothing")

    held = grab(r"^STRESS-HELD (\S+)$")
    f["held"] = held or "missing"
    if held is None:
        problems.append("no result of rmmod with a file held open")
    else:
        parts = held.split(",")
        if "unloaded-after-close" not in parts:
            problems.append(f"rmmod with a file held open: {held}")
        if "unloaded-while-open" in parts and "read-ok" in parts:
            problems.append(f"the module went while a file was open, and the file still read: {held}")

    tap, found = console.kselftest(text)
    problems += found
    f["kselftest"] = (f"{tap['passed']} passed, {tap['failed']} failed, {tap['skipped']} skipped"
                      if tap else "missing")

    leaks = grab(r"^STRESS-LEAKS (\d+)$")
    base = grab(r"^STRESS-BASELINE-LEAKS (\S+)$")
    if leaks is None:
        problems.append("no kmemleak scan")
    elif leaks != "0":
        problems.append(f"kmemleak: {leaks} unreferenced objects after the stress")
        problems += ["  " + x for x in re.findall(r"^STRESS-LEAK (.*)$", text, re.M)[:12]]
    f["leaks"] = f"{leaks if leaks is not None else '?'} (before the stress: {base or '?'})"
    for e in re.findall(r"^STRESS-ERROR (.*)$", text, re.M):
        problems.append(e)
    if not re.search(r"^STRESS-END", text, re.M):
        problems.append("the guest did not finish")
    return f, problems


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: parse_log.py NAME CONSOLE_LOG")
    name, path = sys.argv[1], sys.argv[2]
    f, problems = parse(console.read(path))
    reports = sum(p.startswith("kernel: ") for p in problems)
    print(f"  -> {'FAIL' if problems else 'ok  '} {name} ({f['release']}): "
          f"{f.get('cycles', '?')}; held open: {f.get('held', '?')}; "
          f"kselftest {f.get('kselftest', '?')}; kmemleak {f.get('leaks', '?')}; "
          f"{reports} kernel reports")
    for p in problems:
        print(f"       | {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
