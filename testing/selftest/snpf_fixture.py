#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""snpf_fixture.py OUTDIR STATUS REQUIRED IMPLEMENTED [SOURCE]

Write a directory that looks like the snp_features module's debugfs
directory, in the format Documentation/ABI/debugfs-x86-snp-features
describes, for the kselftest's self-tests (SNPF_DIR=OUTDIR). REQUIRED
and IMPLEMENTED are masks, or "none" for a kernel that does not check.
Names come from sev-features.tbl.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from snpneg.table import VERDICTS, load_table  # noqa: E402


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit("usage: snpf_fixture.py OUTDIR STATUS REQUIRED IMPLEMENTED [SOURCE]")
    out = Path(sys.argv[1])
    status = int(sys.argv[2], 0)
    enforced = sys.argv[3] != "none"
    req = int(sys.argv[3], 0) if enforced else 0
    impl = int(sys.argv[4], 0) if enforced else 0
    source = sys.argv[5] if len(sys.argv) == 6 else "fixture"
    rows = load_table()
    bits = {}
    for r in rows:
        for b in range(r["lo"], r["hi"] + 1):
            bits[b] = r
    unsup = status & req & ~impl if enforced and status & 4 else 0

    def yn(v):
        return "yes" if v else "no"

    def mask(v):
        return f"0x{v:016x}\n" if enforced else "not enforced\n"

    feat = [f"{'bit':<4} {'name':<20} {'short':<12} {'enabled':<8} {'required':<11} implemented"]
    for b in range(64):
        r = bits[b]
        on = bool(status >> b & 1)
        if r["need"] == "mode":
            need = impl_c = "-"
        else:
            need = yn(req >> b & 1) if enforced else "not-enforced"
            impl_c = "-" if r["need"] == "host" else yn(impl >> b & 1)
        feat.append(f"{b:<4} {r['apm']:<20} {r['short']:<12} {yn(on):<8} {need:<11} {impl_c}")
    feat.append(f"unsupported: 0x{unsup:016x}")
    line = "SEV: Status: " + "".join(bits[b]["short"] + " " for b in range(64)
                                     if status >> b & 1 and bits[b]["short"] != "-")

    def jmask(v):
        return f"0x{v:016x}" if enforced else "not enforced"

    if not status & 4:
        verdict = VERDICTS["NOT_ACTIVE"]
    elif not enforced:
        verdict = VERDICTS["NOT_ENFORCED"]
    elif unsup:
        verdict = VERDICTS["REFUSE"]
    else:
        verdict = VERDICTS["RUNS"]
    doc = {"schema_version": 1, "command": "status", "source": "debugfs",
           "sev_status": f"0x{status:016x}", "vmsa": f"0x{status >> 2:016x}",
           "kernel_line": line, "enabled": f"0x{status & ~7:016x}",
           "required": jmask(req), "implemented": jmask(impl), "unsupported": jmask(unsup),
           "would_run": not unsup, "verdict": verdict, "kernel_policy": source,
           "bits": [{"sev_status_bit": b, "vmsa_bit": b - 2 if b >= 2 else None,
                     "apm_name": bits[b]["apm"],
                     "short_name": None if bits[b]["short"] == "-" else bits[b]["short"],
                     "need": bits[b]["need"]}
                    for b in range(64) if status >> b & 1]}
    files = {
        "status": f"0x{status:016x}\n",
        "enabled": f"0x{status & ~7:016x}\n",
        "required": mask(req), "implemented": mask(impl), "unsupported": mask(unsup),
        "source": source + "\n",
        "features": "\n".join(feat) + "\n",
        "summary": line + "\n",
        "json": json.dumps(doc, indent=1) + "\n",
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text)
        os.chmod(out / name, 0o400)


if __name__ == "__main__":
    main()
