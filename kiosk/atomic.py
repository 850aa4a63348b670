"""Files replaced whole or not at all: a power cut mid-write must leave the old file, never half a new one."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write(path: Path, data: str | bytes, check: Callable[[Path], object] | None = None,
          replace: bool = True, durable: bool = True) -> None:
    """Write a temp file beside path (mode 0600: secrets go through here too), sync it, let check
    (may raise) read it, then rename it over path.

    replace=False puts it in place only if no file is there yet and raises FileExistsError otherwise:
    writers racing to create a key each write their own, and all then load the one that won.
    durable=False skips the syncs, for a cache its reader checks and remakes (the parsed strings, written
    before the first paint): after a power cut it may be old, empty or torn, never half of one and half
    of another under its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
            file.flush()
            if durable:
                os.fsync(file.fileno())
        if check is not None:
            check(temp)
        if replace:
            os.replace(temp, path)
        else:
            os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    if not durable:
        return
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)          # the rename itself survives a power cut
    finally:
        os.close(directory)
