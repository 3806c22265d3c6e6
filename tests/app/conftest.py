"""The teaching app, served by the real ``vardkedja app`` command, and Debian's chromium driven by Playwright.

The browser is the system's (``chromium``, or ``VARDKEDJA_CHROMIUM``): Playwright's own browser download
needs the internet at run time. Where no chromium is installed the browser tests are skipped with a
message saying so; ``.ci/run`` installs it first.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The system chromium, if there is one."""
    given = os.environ.get("VARDKEDJA_CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(*args: str, lang: str = "en") -> tuple[subprocess.Popen[bytes], str]:
    """Start ``vardkedja app`` on a free port and wait until it answers."""
    port = free_port()
    exe = Path(sys.executable).with_name("vardkedja")
    proc = subprocess.Popen(
        [str(exe), "app", *args, "--no-browser", "--port", str(port), "--lang", lang],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"vardkedja app exited with {proc.returncode}: {out}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise AssertionError("vardkedja app did not answer within 90 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.skip(
            "no chromium installed: the browser tests of the teaching app did not run "
            "(apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    proc, url = serve()
    yield url
    stop(proc)
