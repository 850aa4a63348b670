"""Benchmarks of whole citizens' visits through the real widgets run as pytest modules, to reuse the tests'
fixtures (case store, card reader, printer simulators): bench.soak, bench.gc_pause."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

import pytest


def run(name: str) -> None:
    """bench.NAME's test with --visits set where pytest imports it (as bench.NAME, not as __main__), then its
    RESULTS as one JSON line; exits with pytest's code."""
    module = importlib.import_module(f"bench.{name}")
    parser = argparse.ArgumentParser(description=(module.__doc__ or name).splitlines()[0])
    parser.add_argument("--visits", type=int, default=module.VISITS)
    args, rest = parser.parse_known_args()
    module.VISITS = args.visits
    path = Path(module.__file__ or "")
    code = pytest.main([str(path), "-q", "-s", "-p", "tests.conftest", "-p", "no:cacheprovider", "--assert=plain",
                        "--timeout=0", "-o", f"python_files={path.name}", *rest])
    print(json.dumps(module.RESULTS, sort_keys=True))
    sys.exit(code)
