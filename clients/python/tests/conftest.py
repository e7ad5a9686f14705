"""Fixtures: the REAL Java mailman (and Java recorder/processor commands) as subprocesses on
127.0.0.1 with an ephemeral port, and a temp ``server_info.json`` for the clients."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(SRC))

from audiosockets.mailman import find_jar, find_java  # noqa: E402

LOG_FORMAT = "%(levelname)s %(name)s - %(message)s"
TIMEOUT = 60.0


def wait_for(predicate, timeout: float = TIMEOUT, what: str = "condition", interval: float = 0.02):
    """Polls ``predicate`` until it returns a truthy value; fails the test naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = predicate()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


RUNNING: List["Proc"] = []


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Proc:
    """A subprocess whose stdout and stderr lines are collected by threads; stopped at the end of the test."""

    def __init__(self, cmd: List[str], name: str, cwd: Optional[Path] = None, env: Optional[Dict[str, str]] = None,
                 stdin: Any = subprocess.DEVNULL) -> None:
        self.name = name
        self.cmd = cmd
        self.out: List[str] = []
        self.err: List[str] = []
        # The tests press Ctrl-C (SIGINT) on these children. A suite started in the background of a shell without job
        # control inherits SIGINT ignored, and Python then never turns it into KeyboardInterrupt: give the child the
        # default disposition, as a terminal would.
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin, cwd=cwd,
                                  env=env, text=True, bufsize=1, preexec_fn=_default_sigint)
        RUNNING.append(self)
        for stream, sink in ((self.p.stdout, self.out), (self.p.stderr, self.err)):
            threading.Thread(target=self._collect, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _collect(stream, sink: List[str]) -> None:
        for line in stream:
            sink.append(line.rstrip("\n"))

    def wait_out(self, pattern: str, timeout: float = TIMEOUT, count: int = 1, err: bool = False) -> List[re.Match]:
        rx = re.compile(pattern)

        def found():
            lines = self.err if err else self.out
            ms = [m for m in (rx.search(line) for line in list(lines)) if m]
            if len(ms) >= count:
                return ms
            if self.p.poll() is not None and len(ms) < count:
                time.sleep(0.2)  # let the readers finish
                ms = [m for m in (rx.search(line) for line in list(self.err if err else self.out)) if m]
                if len(ms) >= count:
                    return ms
                raise AssertionError(f"{self.name} exited ({self.p.returncode}) before printing {count} x {pattern!r}"
                                     f"\nstdout:\n" + "\n".join(self.out[-30:]) + "\nstderr:\n" + "\n".join(self.err[-30:]))
            return None
        return wait_for(found, timeout, f"{self.name} to print {count} x {pattern!r}")

    def wait(self, timeout: float = TIMEOUT) -> int:
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} did not exit within {timeout} s\nstderr:\n" + "\n".join(self.err[-30:]))

    def signal(self, sig: int) -> None:
        if self.p.poll() is None:
            self.p.send_signal(sig)

    def stop(self) -> None:
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(15)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()

    def logs(self) -> str:
        return "stdout:\n" + "\n".join(self.out) + "\nstderr:\n" + "\n".join(self.err)


class Mailman:
    """The Java mailman on 127.0.0.1: ``config`` is the clients' server_info.json (its real port)."""

    def __init__(self, jar: Path, tmp: Path, settings: Dict[str, Any], tls_self_signed: bool = False,
                 port: int = 0, env: Optional[Dict[str, str]] = None, server_args: Optional[List[str]] = None) -> None:
        self.jar, self.tmp = jar, tmp
        self.server_args = list(server_args or [])   # e.g. ["--http-port", "0"]: options the clients' config must not carry
        self.settings = dict(settings)
        self.tls_self_signed = tls_self_signed
        self.env = env
        self.fingerprint: Optional[str] = None
        self.port = port
        self.proc: Optional[Proc] = None
        self.start()

    def start(self) -> None:
        server_settings = {"SERVER": "127.0.0.1", "PORT": self.port, "logging_format": LOG_FORMAT,
                           "logging_level": "info", **self.settings}
        cfg = self.tmp / "mailman.json"
        cfg.write_text(json.dumps(server_settings))
        cmd = [find_java(), "-jar", str(self.jar), "server", "-c", str(cfg)]
        if self.tls_self_signed:
            cmd.append("--tls-self-signed")
        cmd.extend(self.server_args)
        env = dict(os.environ, **(self.env or {}))
        self.proc = Proc(cmd, "mailman", env=env)
        m = self.proc.wait_out(r"mailman listening on 127\.0\.0\.1:(\d+)", err=True)[0]
        self.port = int(m.group(1))
        if self.tls_self_signed:
            self.fingerprint = self.proc.wait_out(r"TLS_FINGERPRINT (\S+)")[0].group(1)
        client = {k: v for k, v in server_settings.items() if k not in ("TLS_CERT", "TLS_KEY")}
        client.update(PORT=self.port, logging_format=LOG_FORMAT)
        if self.fingerprint:
            client["TLS_FINGERPRINT"] = self.fingerprint
        self.config = self.tmp / "server_info.json"
        self.config.write_text(json.dumps(client))

    def restart(self) -> None:
        """Stops and starts again on the same port (its memory is gone)."""
        self.stop()
        self.start()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()

    def java(self, *args: str, name: str = "java", stdin: Any = subprocess.DEVNULL, cwd: Optional[Path] = None) -> Proc:
        """Runs an ``audiosockets`` command of the jar against this mailman."""
        return Proc([find_java(), "-jar", str(self.jar), *args], name, cwd=cwd, stdin=stdin,
                    env=dict(os.environ, **(self.env or {})))


@pytest.fixture(autouse=True)
def stop_leftover_processes():
    """Every subprocess a test started is gone after it, even when the test failed."""
    yield
    while RUNNING:
        p = RUNNING.pop()
        p.stop()


@pytest.fixture(scope="session")
def jar() -> Path:
    return find_jar()   # fails (never skips) with a message saying how to build it


@pytest.fixture
def mailman_factory(jar, tmp_path):
    started: List[Mailman] = []

    def make(settings: Optional[Dict[str, Any]] = None, **kw: Any) -> Mailman:
        d = tmp_path / f"mailman{len(started)}"
        d.mkdir()
        m = Mailman(jar, d, settings or {}, **kw)
        started.append(m)
        return m
    yield make
    for m in started:
        m.stop()


@pytest.fixture
def mailman(mailman_factory) -> Mailman:
    return mailman_factory()


def python_env() -> Dict[str, str]:
    """The environment for a Python subprocess that imports this package from the source tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_python(script: str, name: str, cwd: Path, *args: str, stdin: Any = subprocess.DEVNULL) -> Proc:
    """Writes ``script`` to ``cwd`` and runs it with this interpreter."""
    path = cwd / f"{name}.py"
    path.write_text(script)
    return Proc([sys.executable, str(path), *args], name, cwd=cwd, env=python_env(), stdin=stdin)
