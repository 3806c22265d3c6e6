"""``vardkedja app``: bad input gets one line and exit code 2 before any server starts."""

from __future__ import annotations

import socket

import pytest

from vardkedja_cli.main import main


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_missing_scenario_file_is_one_line(capsys, tmp_path):
    code = main(["app", str(tmp_path / "nosuch.toml"), "--no-browser"])
    assert code == 2
    assert "nosuch.toml" in _one_line(capsys.readouterr().err)


def test_a_bad_scenario_value_names_the_key(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "nordost"\nname = "bad"\n[rules]\nsip_call_rate = 1.5\n', encoding="utf-8")
    assert main(["app", str(bad), "--no-browser"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "rules.sip_call_rate" in line and "bad.toml" in line


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1"])
def test_a_port_out_of_range_is_one_line(capsys, port):
    assert main(["app", "--port", port, "--no-browser"]) == 2
    assert "--port" in _one_line(capsys.readouterr().err)


def test_a_port_in_use_is_refused_before_the_server_starts(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["app", "--port", str(port), "--host", "127.0.0.1", "--no-browser"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"--port {port}" in line and "choose another port" in line


def test_a_port_left_in_time_wait_by_a_stopped_app_is_free():
    # stopping the app with a tab open left its port's connections in TIME_WAIT, and the check
    # (binding without SO_REUSEADDR, unlike the server) refused the free port for about a minute
    from vardkedja_cli import app_cmd

    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = server.accept()
        conn.close()  # the server's side closes first: its end of the connection stays in TIME_WAIT
        client.close()
    app_cmd._check_port("127.0.0.1", port)  # no UsageError


@pytest.mark.parametrize("host", ["nosuchhost.invalid", "999.1.1.1", "192.0.2.1"])
def test_a_bad_host_is_named_as_the_host(capsys, host):
    # it said "--port 8901: cannot listen ... choose another port", which would not help
    assert main(["app", "--host", host, "--port", "8901", "--no-browser"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"vardkedja app: --host {host}: ") and "--port" not in line


def test_an_unknown_language_is_one_line(capsys):
    assert main(["app", "--lang", "fi", "--no-browser"]) == 2
    assert "--lang" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_terminating_the_command_stops_its_server(sig):
    # `vardkedja app` runs Solara as a child; SIGTERM or SIGHUP ended the command alone and left the
    # server running, holding its port (every browser-test session left one behind); so did SIGKILL,
    # which nothing in the command can catch (the kernel now tells the server: PR_SET_PDEATHSIG)
    import signal
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("vardkedja")
    proc = subprocess.Popen([str(exe), "app", "--no-browser", "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://localhost:{port}", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "the app never answered"
                time.sleep(0.5)
        children = subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
        ).stdout.split()
        assert children, "the server runs as the command's child"
        proc.send_signal(getattr(signal, sig))
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(_running(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_running(pid) for pid in children), "the server outlived the command"
    finally:
        if proc.poll() is None:
            proc.kill()


def _running(pid: str) -> bool:
    """Whether process ``pid`` still runs (an ended one that nobody has reaped yet does not: a server
    orphaned by a killed command waits for init to reap it)."""
    from pathlib import Path

    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return False
