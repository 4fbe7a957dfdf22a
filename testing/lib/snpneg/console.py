# SPDX-License-Identifier: GPL-2.0
"""Reading a guest's console: the marker lines of the guest scripts
(testing/guest/), the kselftest's TAP output between SNPF-TAP-BEGIN and
SNPF-TAP-END, which guest-init and stress-init both print, and KUnit's KTAP
result lines in a kernel log."""

import re
import time
from pathlib import Path

# The line the boot init (testing/guest/boot-init) prints in userspace;
# testing/lib/qemu-boot greps for it as well.
BOOT_OK = "SNP-NEGOTIATION-BOOT-OK"

TAP = re.compile(r"^SNPF-TAP-BEGIN\n(.*?)^SNPF-TAP-END rc=(\d+)", re.S | re.M)
# A TAP or KTAP result line: "ok 3 name", "not ok 1 - name # SKIP why"; KTAP
# indents the results of subtests, a kernel log may put a timestamp first.
RESULT = re.compile(r"^(?:\[ *\d+\.\d+\] )?([ \t]*)(not ok|ok) (\d+)(?: -)? ?([^#\n]*?)[ \t]*"
                    r"(?:# ?(\S+)[ \t]*([^\n]*?))?[ \t]*$", re.M)


def read(path):
    """The console log as text, without carriage returns."""
    with open(path, errors="replace") as f:
        return f.read().replace("\r", "")


def wait_for(path, found, limit, running=lambda: True, poll=0.5):
    """Wait until the console log at path shows what is looked for, the
    guest stops running (running() returns False) or limit seconds pass;
    True if it is there. found is a text to contain or a function of the
    log's text."""
    path = Path(path)
    if isinstance(found, str):
        text = found
        found = lambda log: text in log  # noqa: E731

    def seen():
        return path.exists() and found(read(path))
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and running() and not seen():
        time.sleep(poll)
    return seen()


def grab(text, pattern):
    """Group 1 of the first line that matches pattern, or None."""
    m = re.search(pattern, text, re.M)
    return m.group(1) if m else None


def results(text):
    """The TAP/KTAP result lines of text, in order, as dicts: depth (the
    indentation: 0 for the top level), ok (bool), number, name, directive
    (e.g. "SKIP", None without one) and reason."""
    return [dict(depth=len(m.group(1)), ok=m.group(2) == "ok", number=int(m.group(3)),
                 name=m.group(4), directive=(m.group(5) or "").upper() or None,
                 reason=m.group(6) or "")
            for m in RESULT.finditer(text)]


def kselftest(text):
    """(result, problems) of the kselftest run the console shows. result is
    None without kselftest output, else a dict: tap (the TAP text), passed,
    failed, skipped, planned (None without a plan line). A failed case, a
    plan of no tests, fewer results than planned and a non-zero exit code
    are problems."""
    m = TAP.search(text)
    if not m:
        return None, ["no kselftest output"]
    tap, rc = m.group(1), int(m.group(2))
    plan = re.search(r"^1\.\.(\d+)", tap, re.M)
    res = {"tap": tap, "passed": 0, "failed": 0, "skipped": 0,
           "planned": int(plan.group(1)) if plan else None}
    problems = []
    for r in results(tap):
        if r["depth"]:
            continue
        if r["directive"] == "SKIP":
            res["skipped"] += 1
        elif r["ok"]:
            res["passed"] += 1
        else:
            res["failed"] += 1
            problems.append("kselftest: " + r["name"] +
                            (f" # {r['directive']} {r['reason']}".rstrip() if r["directive"] else ""))
    ran = res["passed"] + res["failed"] + res["skipped"]
    if not res["planned"]:
        problems.append("kselftest planned no tests (skipped?)")
    elif ran != res["planned"]:
        problems.append(f"kselftest ran {ran} of {res['planned']}")
    if rc:
        problems.append(f"kselftest exit code {rc}")
    return res, problems
