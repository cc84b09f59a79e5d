"""The one rule for a real component a test needs (a tool, a server): missing under CI is a
failure (.ci/run installs every one), elsewhere the test is skipped and says what to install."""
import os
import shutil

import pytest


def require(present, what):
    """Go on when `present`; else fail under CI, skip elsewhere, naming `what`."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing under CI (.ci/run installs it)")
    pytest.skip(f"{what} is not available here (CI installs it and fails without it)")


def require_tools(*tools):
    """Every command-line tool in `tools` on PATH."""
    missing = [t for t in tools if shutil.which(t) is None]
    require(not missing, ", ".join(missing))
