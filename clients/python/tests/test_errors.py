"""Bad input: a missing or malformed config, a wrong port, a server that is not a mailman, a wrong
token: a clear message naming the problem, and no traceback on the command line."""
import json
import signal
import socket
import sys
import threading

import pytest

from conftest import Proc, python_env
from audiosockets import BaseProcessorSocket, ConfigError, MailmanError, RecorderSocket, subscribe


def cli(*args: str) -> Proc:
    return Proc([sys.executable, "-m", "audiosockets", *args], "cli", env=python_env())


def no_traceback(p: Proc) -> None:
    assert "Traceback" not in "\n".join(p.err), p.logs()


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.json: config file not found"):
        BaseProcessorSocket.of("p", tmp_path / "nope.json", print)
    p = cli("process", "-c", str(tmp_path / "nope.json"), "print")
    assert p.wait() == 2
    assert len(p.err) == 1 and "nope.json: config file not found" in p.err[0]
    no_traceback(p)


def test_malformed_config_file(tmp_path):
    cfg = tmp_path / "server_info.json"
    cfg.write_text('{"PORT": "fifty"}')
    with pytest.raises(ConfigError, match=r"server_info\.json: key 'PORT': expected an integer"):
        RecorderSocket(cfg, "stdin")
    p = cli("record", "-c", str(cfg), "--source", "stdin")
    assert p.wait() == 2
    assert len(p.err) == 1 and "key 'PORT'" in p.err[0]
    no_traceback(p)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_wrong_port_warns_naming_the_address_and_ctrl_c_ends_cleanly(tmp_path):
    port = closed_port()
    cfg = tmp_path / "server_info.json"
    cfg.write_text(json.dumps({"PORT": port, "logging_format": "%(levelname)s %(message)s"}))
    p = cli("process", "-c", str(cfg), "print")
    p.wait_out(rf"WARNING processor 'print': mailman at 127\.0\.0\.1:{port} not reachable .*retrying every 1 s",
               err=True)
    p.signal(signal.SIGINT)
    assert p.wait() == 0
    no_traceback(p)


class NotAMailman:
    """A TCP server that answers like a web server."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            c.close()


def test_a_server_that_is_not_a_mailman(tmp_path):
    server = NotAMailman()
    cfg = tmp_path / "server_info.json"
    cfg.write_text(json.dumps({"PORT": server.port}))
    with pytest.raises(MailmanError, match=rf"127\.0\.0\.1:{server.port} is not an audiosockets mailman.*HTTP/1\.1"
                                           r".*check SERVER and PORT"):
        BaseProcessorSocket.of("p", cfg, print).start()
    with pytest.raises(MailmanError, match="is not an audiosockets mailman"):
        for _ in subscribe(cfg, stream="mic"):
            pass
    p = cli("process", "-c", str(cfg), "print")
    assert p.wait() == 1
    assert len(p.err) == 2 and "is not an audiosockets mailman" in p.err[-1]   # the log line and the exit line
    no_traceback(p)
    server.sock.close()


def test_wrong_token_on_the_command_line_exits_1_with_the_mailmans_message(mailman_factory):
    mailman = mailman_factory({"TOKEN": "right"})
    p = Proc([sys.executable, "-m", "audiosockets", "process", "-c", str(mailman.config), "print"], "cli",
             env=dict(python_env(), AUDIOSOCKETS_TOKEN="wrong"))
    assert p.wait() == 1
    assert "AUTH_FAILED" in p.err[-1] and "the mailman refused" in p.err[-1]
    no_traceback(p)


def test_bad_options_name_the_option(mailman):
    with pytest.raises(ConfigError, match=r"start: expected resume, live, oldest"):
        BaseProcessorSocket.of("p", mailman.config, print, start="yesterday")
    with pytest.raises(ConfigError, match=r"streams: stream 'a b' is not a valid name"):
        BaseProcessorSocket.of("p", mailman.config, print, streams="a b")
    with pytest.raises(ValueError, match=r"processor name 'no way' is not a valid name"):
        BaseProcessorSocket.of("no way", mailman.config, print)
    with pytest.raises(ConfigError, match=r"a numpy array source needs samplerate"):
        import numpy as np
        RecorderSocket(mailman.config, np.zeros(10, dtype=np.int16))
