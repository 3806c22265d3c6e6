"""Files and folders written beside their destination and renamed into place: their permissions, and
who wrote them.

The permissions a plain ``open``/``mkdir`` would give, for files made through ``mkstemp``/``mkdtemp``:
``tempfile`` makes its files 0600 and folders 0700, which they keep when renamed into place: on a
shared server a colleague could list a run's or a sweep's results but not open them. The umask is
read from ``/proc/self/status`` where Linux gives it: ``os.umask`` can only read it by setting it,
and while one thread has set it to 0 another (a Dask worker runs tasks in threads) could create a
world-writable file.

Who wrote them: their names carry this machine and the writing process's pid (:func:`writer_tag`), so a
later process can tell one whose writer was killed (SIGKILL, the OOM killer: nothing of it ran to
clean up) from one a live process is still writing (:func:`writer_gone`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

__all__ = [
    "MACHINE",
    "file_mode",
    "folder_mode",
    "remove_abandoned_work_dirs",
    "work_dir_beside",
    "writer_gone",
    "writer_tag",
]

MACHINE = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
"""This machine, in the name of every temporary file and folder (with the writing process's pid)."""


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


def writer_tag() -> str:
    """``<machine>-<pid>`` of this process, for the name of what it writes beside a destination."""
    return f"{MACHINE}-{os.getpid()}"


def writer_gone(machine: str, pid: int) -> bool:
    """Whether process ``pid`` of ``machine`` (as in :func:`writer_tag`) has ended. Only a process of
    this machine can be looked up: another machine's is taken as alive."""
    if machine != MACHINE:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):  # another user's process (a reused pid), or no pid at all
        return False
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether ``pid`` has ended but is not reaped yet (a killed sweep's worker, orphaned, waits for
    init to reap it: here that took seconds). Linux's ``/proc``; elsewhere ``False``."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def work_dir_beside(final: Path, suffix: str = "") -> Path:
    """A new hidden folder beside ``final`` (to be renamed to it), with the mode ``mkdir`` would give.

    Its name is ``.<final's name>.<machine>-<pid>.<random><suffix>`` (:func:`writer_tag`): what a killed
    process left is found by :func:`remove_abandoned_work_dirs`.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.{writer_tag()}.", suffix=suffix, dir=final.parent))
    tmp.chmod(folder_mode())
    return tmp


def remove_abandoned_work_dirs(final: Path, suffixes: tuple[str, ...] = ("",)) -> list[Path]:
    """Remove the folders :func:`work_dir_beside` made beside ``final`` (with one of ``suffixes``) in
    processes of this machine that have ended; return them.

    Only that name for that destination, only folders (not links), and never one whose writer is alive
    or of another machine (a shared disk: it cannot be looked up there). Folders of versions whose names
    carried no writer are left as they are: nothing tells whether their writer is at work.
    """
    ends = "|".join(re.escape(s) for s in suffixes)
    pattern = re.compile(re.escape(f".{final.name}.") + rf"([0-9a-f]{{8}})-(\d+)\.[a-z0-9_]+(?:{ends})")
    removed = []
    try:
        entries = list(final.parent.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or entry.is_symlink() or not entry.is_dir():
            continue
        if writer_gone(found.group(1), int(found.group(2))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
