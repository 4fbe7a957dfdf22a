# SPDX-License-Identifier: GPL-2.0
"""The comparison the fixture tests of testing/selftest/ print their lines
with: check(what, got, want) prints "ok" or "FAIL" with both values, and
exit_status() is 1 once any check failed."""

failures = []


def check(what, got, want):
    if got != want:
        failures.append(what)
        print(f"FAIL {what}:\n  got  {got!r}\n  want {want!r}")
    else:
        print(f"ok   {what}")


def exit_status():
    return 1 if failures else 0
