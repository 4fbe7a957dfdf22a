# SPDX-License-Identifier: GPL-2.0
"""Findings of one Python check and their printer; the case table of a
boot-negotiation site. (A check's overall result: snpneg.results.)

Shell checks print the same shapes through say/step in testing/lib/lib.sh:
'==> ' heads a section, '  -> ' a finding, '       | ' a detail line.
"""

import enum
import json
import os
import sys


class Status(enum.Enum):
    PASS = "ok"
    FAIL = "FAIL"
    SKIP = "skip"


class Report:
    """Collects findings of one check; exit() ends the program with them."""

    def __init__(self):
        self.counts = {s: 0 for s in Status}

    def add(self, status, what, details=()):
        self.counts[status] += 1
        if status is Status.PASS:
            print(f"  -> {what}", flush=True)
        else:
            print(f"  -> {status.value} {what}", flush=True)
        for d in list(details)[:20]:
            print(f"       | {d}", flush=True)

    def check(self, what, error, details=()):
        """error None or '' passes; anything else fails with that text."""
        if error:
            self.add(Status.FAIL, f"{what}: {error}", details)
        else:
            self.add(Status.PASS, f"{what}: ok", details)
        return not error

    @property
    def failed(self):
        return self.counts[Status.FAIL]

    def exit(self):
        sys.exit(1 if self.failed else 0)


def section(text):
    print(f"==> {text}", flush=True)


class CaseTable:
    """The table of a boot-negotiation site: one row per injected
    SEV_STATUS value, what the specification expects, and the verdict.
    With a JSON path, exit() also writes the rows there as data (name,
    status, expected, problems and what the emulated hypervisor saw).

        t = CaseTable("decompressor", logdir / "result.json")
        t.row(name, status, "GHCB MSR 0x20100", problems, got)   # [] = as expected
        t.exit()
    """

    def __init__(self, site, json_path=None):
        self.site, self.total, self.failed = site, 0, 0
        self.json_path, self.cases = json_path, []
        print(f"     {'case':<36} {'SEV_STATUS':<18} {'expected':<34} result", flush=True)

    def row(self, name, status, expected, problems, got=None):
        self.total += 1
        self.failed += bool(problems)
        self.cases.append({"name": name, "status": status, "expected": expected,
                           "problems": [str(p) for p in problems], "got": got or {}})
        verdict = "ok" if not problems else "FAIL: " + "; ".join(str(p) for p in problems)
        print(f"     {name:<36} {status:#018x} {expected:<34} {verdict}", flush=True)
        return not problems

    def exit(self):
        print(f"  -> {self.site}: {self.total - self.failed} of {self.total} cases as expected",
              flush=True)
        if self.json_path:
            data = {"site": self.site, "passed": self.total - self.failed,
                    "failed": self.failed, "cases": self.cases}
            tmp = f"{self.json_path}.tmp"
            with open(tmp, "w") as f:
                json.dump(data, f, indent=1)
                f.write("\n")
            os.replace(tmp, self.json_path)
        sys.exit(1 if self.failed or not self.total else 0)


def describe(got):
    """What the emulated hypervisor saw in one case, in a few words."""
    if not got:
        return "no result"
    out = got.get("outcome", "no result")
    page = got.get("page_request")
    if out == "msr-termination":
        text = f"GHCB MSR request {got.get('ghcb_msr', 0):#x}"
        return text + " after the page request" if page else text
    if out == "ghcb-termination":
        return f"GHCB page request, SW_EXITINFO2 {got.get('sw_exit_info_2', 0):#x}"
    if out == "halted":
        return "halted after the page request, no second request" if page else "halted"
    if out == "returned":
        if "userspace" in got:
            return "check returned, boot went on" + ("" if got["userspace"] else
                                                      " but did not reach userspace")
        return "check returned, boot went on"
    return out


def outcome(result_json, case):
    """'pass' or 'FAIL', and what happened, for CASE of a harness's
    result.json ('no result' if the file or case is missing)."""
    try:
        cases = {c["name"]: c for c in json.loads(open(result_json).read())["cases"]}
    except (OSError, ValueError, KeyError):
        return "no result"
    c = cases.get(case)
    if c is None:
        return "no result"
    return f"{'FAIL' if c['problems'] else 'pass'}: {describe(c.get('got'))}"


def side_by_side(rows, left, right):
    """Print rows (site, case, left text, right text) as one table."""
    w = max([len(left)] + [len(r[2]) for r in rows])
    print(f"     {'site':<13} {'case':<34} {left:<{w}}  {right}")
    for site, case, a, b in rows:
        print(f"     {site:<13} {case:<34} {a:<{w}}  {b}")


def main(argv):
    """Shell callers' interface:
      python3 -m snpneg.report outcome RESULT_JSON CASE
      python3 -m snpneg.report side-by-side LEFT RIGHT   (rows on stdin:
          site, case, left text, right text; tab-separated)"""
    if len(argv) == 3 and argv[0] == "outcome":
        print(outcome(argv[1], argv[2]))
        return 0
    if len(argv) == 3 and argv[0] == "side-by-side":
        rows = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
        if any(len(r) != 4 for r in rows):
            raise SystemExit("side-by-side: want 4 tab-separated fields a row")
        side_by_side(rows, argv[1], argv[2])
        return 0
    raise SystemExit(main.__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
