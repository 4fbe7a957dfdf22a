#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot-negotiation sites again and again, on a busy machine.

stress.py TABLE BUILD_DIR INITRD LOG_DIR RESULT_JSON SITE=RUNS...

Runs each SITE's harness (efi: efi.py, decompressor: run.py, pvh:
pvh.py) with its full case list RUNS times in a row, while LOAD worker
processes (BOOTNEG_STRESS_LOAD, default: one per CPU) keep every CPU
busy, and with SNPNEG_GDB_DELAY set (run.py's run_gdb) gdb's line to
QEMU holds back replies too. A run passes when its harness passes; none
is tried again. Prints a line per run and a summary per site, writes the
counts to RESULT_JSON and keeps the logs of failed runs in LOG_DIR.
Exits 1 if any run failed.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "lib"))
from snpneg import gdbproxy  # noqa: E402
SITES = {"efi": "efi.py", "decompressor": "run.py", "pvh": "pvh.py"}


def busy_workers(n):
    return [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(n)]


def main():
    if len(sys.argv) < 7:
        sys.exit("usage: stress.py TABLE BUILD_DIR INITRD LOG_DIR RESULT_JSON SITE=RUNS...")
    table, build, initrd, logdir, result = sys.argv[1:6]
    plan = []
    for arg in sys.argv[6:]:
        site, _, runs = arg.partition("=")
        if site not in SITES or not runs.isdigit() or int(runs) < 1:
            sys.exit(f"stress.py: want SITE=RUNS with SITE one of {', '.join(SITES)} and "
                     f"RUNS a whole number from 1, not {arg!r}")
        plan.append((site, int(runs)))
    if os.environ.get("SNPNEG_GDB_DELAY"):
        try:
            gdbproxy.parse(os.environ["SNPNEG_GDB_DELAY"])
        except ValueError as e:
            sys.exit(f"stress.py: SNPNEG_GDB_DELAY: {e}")
    load = os.environ.get("BOOTNEG_STRESS_LOAD", str(os.cpu_count() or 1))
    if not load.isdigit():
        sys.exit(f"stress.py: BOOTNEG_STRESS_LOAD must be a whole number, not {load!r}")
    logdir = Path(logdir)
    logdir.mkdir(parents=True, exist_ok=True)
    summary = {"load": int(load), "gdb_delay": os.environ.get("SNPNEG_GDB_DELAY") or None,
               "sites": []}
    workers = busy_workers(int(load))
    try:
        for site, runs in plan:
            failed, start = [], time.monotonic()
            print(f"==> {site}: {runs} runs of the full case list, {load} busy workers"
                  + (f", gdb replies held back ({summary['gdb_delay']})"
                     if summary["gdb_delay"] else ""), flush=True)
            for i in range(1, runs + 1):
                run_dir = logdir / f"{site}-{i}"
                shutil.rmtree(run_dir, ignore_errors=True)
                t0 = time.monotonic()
                p = subprocess.run([sys.executable, str(HERE / SITES[site]), table, build, initrd,
                                    str(run_dir)], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace")
                secs = time.monotonic() - t0
                if p.returncode:
                    failed.append(i)
                    (run_dir.parent / f"{site}-{i}.out").write_text(p.stdout)
                    bad = [line.strip() for line in p.stdout.splitlines() if "FAIL" in line]
                    print(f"  -> run {i}/{runs}: FAIL ({secs:.0f} s): "
                          f"{bad[0] if bad else (p.stdout.strip().splitlines() or [''])[-1]}",
                          flush=True)
                else:
                    shutil.rmtree(run_dir, ignore_errors=True)
                    print(f"  -> run {i}/{runs}: pass ({secs:.0f} s; {len(failed)} failed so far)",
                          flush=True)
            total = time.monotonic() - start
            summary["sites"].append({"site": site, "runs": runs, "failed": len(failed),
                                     "failed_runs": failed, "seconds": round(total)})
            print(f"  -> {site}: {runs - len(failed)} of {runs} runs passed in {total:.0f} s",
                  flush=True)
    finally:
        for w in workers:
            w.kill()
            w.wait()
        Path(result).write_text(json.dumps(summary, indent=1) + "\n")
    sys.exit(1 if any(s["failed"] for s in summary["sites"]) else 0)


if __name__ == "__main__":
    main()
