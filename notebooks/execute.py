"""Execute the notebooks in place, so that the committed copies show their figures, and time them.

    uv run python notebooks/execute.py                 # every notebook in this folder
    uv run python notebooks/execute.py 02_what_if_weekend_and_sip.ipynb

Each notebook runs top to bottom in a fresh kernel with this folder as its working directory (as
``jupyter lab notebooks/`` would), the way the tests run it. Timing metadata is not recorded, so the same
code and seeds give the same file. Prints each notebook's wall time and file size.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def execute(path: Path, cwd: Path | None = None) -> nbformat.NotebookNode:
    """Run ``path`` top to bottom in ``cwd`` (default: its folder); return it executed (not written)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    client.execute()
    return nb


def main(argv: list[str]) -> int:
    """Execute the notebooks named in ``argv`` (default: all) in place; print time and size."""
    paths = [HERE / a for a in argv] if argv else sorted(HERE.glob("*.ipynb"))
    for path in paths:
        start = time.perf_counter()
        nb = execute(path)
        seconds = time.perf_counter() - start
        nbformat.write(nb, path)
        print(f"{path.name}: {seconds:.1f} s, {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
