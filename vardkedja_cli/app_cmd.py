"""``vardkedja app [SCENARIO] [--port N] [--no-browser]``: the teaching app in the browser.

The app (``teaching/app.py``) is a Solara page built on Mesa's SolaraViz; this command checks what the
user gave (the scenario file, a free port), then runs Solara's server on it and, unless told not to,
opens the browser. Everything the page needs is served locally (``solara-assets``), so the app works
without internet; Solara's update check and telemetry are switched off for the same reason.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["add_command", "cmd_app"]

DEFAULT_PORT = 8765


def _port(text: str) -> int:
    allowed = "expected a port from 1 to 65535"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; {allowed}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not allowed; {allowed}")
    return value


def add_command(sub: Any) -> None:
    """Register ``app`` on the command's sub-parsers."""
    from vardkedja_cli.main import _Help

    a = sub.add_parser(
        "app",
        help="open the teaching app in the browser (where patients fall between the chairs)",
        formatter_class=_Help,
        description="The teaching app: the care chain day by day, one patient through the eight LUS steps, "
        "five lessons, in Swedish and English. Without SCENARIO it opens the lessons.",
    )
    a.add_argument("scenario", nargs="?", help="scenario TOML file to explore freely (default: the lessons)")
    a.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port to serve the app on")
    a.add_argument("--host", default="localhost", help="address to listen on (0.0.0.0: the whole network)")
    a.add_argument("--lang", choices=("sv", "en"), default="sv", help="language the app opens in")
    a.add_argument("--no-browser", action="store_true", help="do not open a browser (print the address)")
    a.set_defaults(func=cmd_app)


def _check_port(host: str, port: int) -> None:
    """Refuse, in one line, an address the server could not listen on: an unknown ``--host``, or a
    port something is listening on.

    The test socket binds as the server does (``SO_REUSEADDR``, as asyncio's servers on Unix): without
    it, the connections a just-stopped app left in TIME_WAIT refused a free port for about a minute.
    """
    import errno
    import socket

    from vardkedja_cli.main import UsageError

    def bad_host(why: str) -> UsageError:
        return UsageError(
            f"vardkedja app: --host {host}: {why}; expected a name or address of this machine, "
            "e.g. --host localhost (or 0.0.0.0 for the whole network)"
        )

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise bad_host(f"unknown address ({getattr(exc, 'strerror', None) or exc})") from None
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRNOTAVAIL:
                raise bad_host(f"not an address of this machine ({exc.strerror})") from None
            raise UsageError(
                f"vardkedja app: --port {port}: cannot listen on {host}:{port} ({exc.strerror or exc}); "
                f"choose another port, e.g. --port {port + 1 if port < 65535 else 8765}"
            ) from None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _end_with_this_process() -> Callable[[], None] | None:
    """For ``Popen(preexec_fn=...)``: the server is sent SIGTERM when this process ends, however it ends.

    SIGTERM, SIGHUP and Ctrl-C are passed on below; SIGKILL (the OOM killer, ``kill -9``) ends this
    process with nothing run, and left the server holding its port. The kernel sends the signal
    (Linux ``PR_SET_PDEATHSIG``, as the replications' workers have it; elsewhere nothing is set).
    """
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return None
    parent = os.getpid()

    def in_the_child() -> None:
        prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # this process ended before the request was made
            os._exit(1)

    return in_the_child


def cmd_app(args: argparse.Namespace) -> int:
    """Check the scenario and the port, then serve the app until Ctrl-C."""
    import subprocess

    env = dict(os.environ)
    env.pop("VARDKEDJA_APP_SCENARIO", None)
    if args.scenario is not None:
        from simulation.scenario import load_scenario

        load_scenario(args.scenario)  # a bad file stops here, with one line
        env["VARDKEDJA_APP_SCENARIO"] = str(Path(args.scenario).resolve())
    _check_port(args.host, args.port)
    env["VARDKEDJA_APP_LANG"] = args.lang
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    # Solara's own switch for its fixed "This website runs on Solara" banner, which covered the page's
    # bottom right (the patient's last steps) on a laptop screen
    env["SOLARA_THEME_SHOW_BANNER"] = "False"
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "teaching.app",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-check-version",
        "--no-open" if args.no_browser else "--open",
    ]
    shown = "localhost" if args.host in ("0.0.0.0", "127.0.0.1") else args.host
    print(f"vardkedja app: http://{shown}:{args.port} (Ctrl-C stops it)", flush=True)
    proc = subprocess.Popen(cmd, env=env, preexec_fn=_end_with_this_process())
    # SIGTERM (a service manager, `kill`) and SIGHUP (the terminal closed) stop the server as Ctrl-C
    # does: they ended this process alone and left the server running, holding the port
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a server that ignores SIGTERM
            proc.kill()
        return 0
