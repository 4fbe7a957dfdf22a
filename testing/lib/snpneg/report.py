# SPDX-License-Identifier: GPL-2.0
"""One result type and one printer, shared by every Python check.

Shell checks print the same shapes through say/step in testing/lib/lib.sh:
'==> ' heads a section, '  -> ' a finding, '       | ' a detail line.
"""

import enum
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
