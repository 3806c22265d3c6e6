"""Execute the notebooks in place, so that the committed copies show their figures, and time them.

    uv run python notebooks/execute.py                 # every notebook in this folder
    uv run python notebooks/execute.py 02_what_if_weekend_and_sip.ipynb

Each notebook runs top to bottom in a fresh kernel with this folder as its working directory (as
``jupyter lab notebooks/`` would), the way the tests run it. Timing metadata is not recorded, so the same
code and seeds give the same file. Prints each notebook's wall time and file size.
"""

from __future__ import annotations

import argparse
import sys
import time
import typing
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


class _Parser(argparse.ArgumentParser):
    """Bad arguments are one line and exit code 2, as everywhere in vardkedja (no usage block)."""

    def error(self, message: str) -> typing.NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="notebooks/execute.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help=f"a notebook of {HERE.name}/ by file name (default: every *.ipynb there)",
    )
    return p


def main(argv: list[str]) -> int:
    """Execute the notebooks named in ``argv`` (default: all) in place; print time and size.

    ``--help`` prints the usage; a name that is not a notebook of this folder is one line and exit code 2,
    before anything runs.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0), or an unknown option (2, one line)
        return exc.code if isinstance(exc.code, int) else 2
    paths = [HERE / a for a in args.notebooks] if args.notebooks else sorted(HERE.glob("*.ipynb"))
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"{parser.prog}: {path.name}: no such notebook in {HERE.name}/", file=sys.stderr)
            return 2
    for path in paths:
        start = time.perf_counter()
        nb = execute(path)
        seconds = time.perf_counter() - start
        nbformat.write(nb, path)
        print(f"{path.name}: {seconds:.1f} s, {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
