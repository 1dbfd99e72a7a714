"""Reads the sandbox's JSON line (the binary prints it on start; run.sh passes it in IDPROV_SANDBOX) and
holds the small assertion helper every check uses."""

import json
import os
import sys


def info():
    """The sandbox's configs: base URLs, credentials and fixture ids, from $IDPROV_SANDBOX."""
    raw = os.environ.get("IDPROV_SANDBOX")
    if not raw:
        sys.exit("IDPROV_SANDBOX is not set: run this through tests/python/run.sh")
    return json.loads(raw)


class Checks:
    """Counts passed and failed checks of one SDK; a failed check is printed with what was seen."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def check(self, what, ok, seen=None):
        if ok:
            self.passed += 1
            print(f"  ok   {self.name}: {what}")
        else:
            self.failed += 1
            print(f"  FAIL {self.name}: {what} (seen: {seen!r})"[:2000])

    def eq(self, what, seen, expected):
        shown = repr(expected)
        self.check(f"{what} == {shown if len(shown) <= 80 else shown[:77] + '...'}", seen == expected, seen)

    def done(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def logged(vendor):
    """The sandbox's request log for one vendor (`GET /_sandbox/requests?vendor=...`), oldest first."""
    import urllib.request

    with urllib.request.urlopen(f"{info()['admin_url']}/requests?vendor={vendor}", timeout=10) as answer:
        return json.load(answer)


def header(request, name):
    """The first value of header `name` (lower case) of a logged request, or None."""
    return next((v for n, v in request["headers"] if n == name), None)
