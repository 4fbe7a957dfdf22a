#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""parse_log.py NAME CONSOLE_LOG

Read what testing/guest/guest-init printed on a guest's console: the module load,
the kselftest's TAP output, the module's json file (validated against the
snp-features schema, tools/snp-features/snp-features.schema.json), the
load/unload loop, a lockdown level if one was set, and any kernel splat.
Prints a summary line; exits 1 on any failure or missing result.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "lib"))
from snpneg import console  # noqa: E402

SCHEMA = HERE.parents[2] / "tools/snp-features/snp-features.schema.json"

name, path = sys.argv[1], sys.argv[2]
text = console.read(path)
problems = []


def grab(pattern):
    return console.grab(text, pattern)


release = grab(r"^SNPF-GUEST-BEGIN release=(\S+)")
if release is None:
    print(f"  -> {name}: FAIL: the guest never reached its init (log: {path})")
    sys.exit(1)
if grab(r"^SNPF-LOAD (\w+)") != "ok":
    problems.append("module did not load")
tap, found = console.kselftest(text)
problems += found
passed, failed, skipped = (tap[k] if tap else 0 for k in ("passed", "failed", "skipped"))
loop = grab(r"^SNPF-LOOP (\S+)")
if loop != "21/21":
    problems.append(f"load/unload loop {loop or 'missing'}")
for splat in re.findall(r"^SNPF-DMESG (.*)$", text, re.M):
    problems.append("kernel: " + splat)
if not re.search(r"^SNPF-GUEST-END", text, re.M):
    problems.append("guest did not finish")
lockdown = grab(r"^SNPF-LOCKDOWN (.*)$")
if lockdown is not None and not re.search(r"\[(integrity|confidentiality)\]", lockdown):
    problems.append(f"lockdown not active: {lockdown}")
if lockdown is not None and tap and "lockdown refuses" in tap["tap"]:
    problems.append("under lockdown the module's files were refused")
source = grab(r"^SNPF-SOURCE (.*)$") or "?"
status = grab(r"^SNPF-STATUS (.*)$") or "?"


def check_json(block):
    """Problems of the json file's text: not JSON, not the schema, not status."""
    try:
        doc = json.loads(block)
    except ValueError as e:
        return [f"json file is not JSON: {e}"]
    try:
        import jsonschema
    except ImportError:
        return ["python3-jsonschema is missing: cannot validate the json file"]
    # The schema's status object, so that errors name the member at fault.
    schema = json.loads(SCHEMA.read_text())
    del schema["oneOf"]
    schema["$ref"] = "#/$defs/status"
    v = jsonschema.Draft202012Validator(schema)
    errs = [f"json file breaks the schema's status object: {e.message[:120]} "
            f"at {list(e.absolute_path)}" for e in v.iter_errors(doc)][:3]
    if not errs and doc.get("sev_status") != status:
        errs.append(f"json file is not the status of this guest (sev_status "
                    f"{doc.get('sev_status')}, status file {status})")
    return errs


j = re.search(r"^SNPF-JSON-BEGIN\n(.*?)^SNPF-JSON-END", text, re.S | re.M)
if not j:
    problems.append("no json output")
else:
    problems += check_json(j.group(1))

summary = (f"{name} ({release}): kselftest {passed} passed, {failed} failed, "
           f"{skipped} skipped; load/unload {loop}; status {status}; source: {source}"
           + (f"; lockdown: {lockdown}" if lockdown is not None else ""))
if problems:
    print(f"  -> FAIL {summary}")
    for p in problems:
        print(f"       | {p}")
    sys.exit(1)
print(f"  -> ok   {summary}")
