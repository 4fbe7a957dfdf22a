# SPDX-License-Identifier: GPL-2.0
"""Reading a guest's console: the marker lines of the guest scripts
(testing/guest/) and the kselftest's TAP output between SNPF-TAP-BEGIN and
SNPF-TAP-END, which guest-init and stress-init both print."""

import re

TAP = re.compile(r"^SNPF-TAP-BEGIN\n(.*?)^SNPF-TAP-END rc=(\d+)", re.S | re.M)


def read(path):
    """The console log as text, without carriage returns."""
    with open(path, errors="replace") as f:
        return f.read().replace("\r", "")


def grab(text, pattern):
    """Group 1 of the first line that matches pattern, or None."""
    m = re.search(pattern, text, re.M)
    return m.group(1) if m else None


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
    for verdict, desc in re.findall(r"^(not ok|ok) \d+ (.*)$", tap, re.M):
        if "# SKIP" in desc:
            res["skipped"] += 1
        elif verdict == "ok":
            res["passed"] += 1
        else:
            res["failed"] += 1
            problems.append("kselftest: " + desc)
    ran = res["passed"] + res["failed"] + res["skipped"]
    if not res["planned"]:
        problems.append("kselftest planned no tests (skipped?)")
    elif ran != res["planned"]:
        problems.append(f"kselftest ran {ran} of {res['planned']}")
    if rc:
        problems.append(f"kselftest exit code {rc}")
    return res, problems
