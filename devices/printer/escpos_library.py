"""python-escpos, imported with its printer database read in a millisecond rather than in a tenth of a second.

At import, python-escpos reads its printer database (capabilities.json, 96 kB) with PyYAML's pure-Python loader,
unless it finds a pickle of it in ESCPOS_CAPABILITIES_PICKLE_DIR, whose default is a new temporary folder in each
process: never found, then, and the folder left behind in /tmp. That read is ~125 ms of Python holding the GIL
(more on a busy machine), on the sync worker's first heartbeat after start-up (the printer's status): the first
citizen's screen changes waited for it (bench.transitions: the first service list 177 ms, 30 ms of it the UI
thread's own work). The file is JSON: read with json (well under 1 ms) and pickled for python-escpos into a folder
of this process's, removed at exit. Every import of escpos in the kiosk comes after load().
"""
from __future__ import annotations

import atexit
import importlib
import json
import os
import pickle
import platform
import shutil
import sys
import tempfile
import threading
from importlib import resources
from pathlib import Path

PICKLE_DIR = "ESCPOS_CAPABILITIES_PICKLE_DIR"     # python-escpos's own settings: left alone when given
CAPABILITIES_FILE = "ESCPOS_CAPABILITIES_FILE"
_lock = threading.Lock()          # the status poll (sync worker) and a print (a job's thread) may both be first


def load() -> None:
    """Import escpos.capabilities, its database unpickled."""
    with _lock:
        if "escpos.capabilities" in sys.modules:
            return
        if PICKLE_DIR in os.environ or CAPABILITIES_FILE in os.environ:
            importlib.import_module("escpos.capabilities")
            return
        folder = tempfile.mkdtemp(prefix="kiosk24-escpos-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        with (resources.files("escpos") / "capabilities.json").open("rb") as source:
            database = json.load(source)
        # written after the file it copies was, so python-escpos finds it newer and takes it (its name: theirs)
        with open(Path(folder) / f"{platform.python_version()}.capabilities.pickle", "wb") as copy:
            pickle.dump(database, copy, protocol=2)
        os.environ[PICKLE_DIR] = folder
        try:
            importlib.import_module("escpos.capabilities")
        finally:
            del os.environ[PICKLE_DIR]      # read once, at that import: not handed to the processes the kiosk starts
