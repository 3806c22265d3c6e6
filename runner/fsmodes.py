"""The permissions a plain ``open``/``mkdir`` would give, for files made through ``mkstemp``/``mkdtemp``.

``tempfile`` makes its files 0600 and folders 0700, which they keep when renamed into place: on a
shared server a colleague could list a run's or a sweep's results but not open them. The umask is
read from ``/proc/self/status`` where Linux gives it: ``os.umask`` can only read it by setting it,
and while one thread has set it to 0 another (a Dask worker runs tasks in threads) could create a
world-writable file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["file_mode", "folder_mode", "work_dir_beside"]


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0)  # elsewhere: the only portable way to read it
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Mode of a new file: 0666 without the umask."""
    return 0o666 & ~_umask()


def folder_mode() -> int:
    """Mode of a new folder: 0777 without the umask."""
    return 0o777 & ~_umask()


def work_dir_beside(final: Path, suffix: str = "") -> Path:
    """A new hidden folder beside ``final`` (to be renamed to it), with the mode ``mkdir`` would give."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=suffix, dir=final.parent))
    tmp.chmod(folder_mode())
    return tmp
