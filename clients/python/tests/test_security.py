"""Tokens and TLS with a pinned fingerprint, Python and Java on either side."""
import dataclasses

import numpy as np
import pytest

from conftest import wait_for
from audiosockets import BaseProcessorSocket, MailmanError, RecorderSocket, load_config

RATE = 16000


class Counter(BaseProcessorSocket):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seqs = []
        self.raw = []
        self.streams = []

    def process_data(self, data):
        self.seqs.append(data["seq"])
        self.raw.append(data["raw"])
        self.streams.append(data["stream"])


def test_token_both_roles_and_a_wrong_one_refused_with_the_mailmans_message(mailman_factory):
    mailman = mailman_factory({"TOKEN": "s3cret"})
    # The clients' config carries the token (written from the mailman's settings).
    proc = Counter("tok", mailman.config, streams="t").start_async()
    assert proc.connected.wait(30) and proc._core.connection.failure is None
    audio = np.arange(3200, dtype=np.int16)
    rec = RecorderSocket(mailman.config, audio, stream="t", period=0.1, samplerate=RATE, realtime=False)
    rec.start()
    wait_for(lambda: len(proc.seqs) == 2, what="2 chunks through the token-protected mailman")
    proc.close()
    assert b"".join(proc.raw) == audio.tobytes()

    wrong = Counter("intruder", mailman.config, streams="t", token="guess")
    with pytest.raises(MailmanError) as e:
        wrong.start()
    assert e.value.code_name == "AUTH_FAILED" and "token" in str(e.value).lower()
    with pytest.raises(MailmanError) as e:
        RecorderSocket(mailman.config, audio, stream="t2", samplerate=RATE, token="guess", realtime=False).start()
    assert e.value.code_name == "AUTH_FAILED"
    mailman.proc.wait_out(r"WARN.*(token|TOKEN)", err=True)


def test_tls_with_a_pinned_fingerprint_python_and_java(mailman_factory):
    mailman = mailman_factory(tls_self_signed=True)
    assert mailman.fingerprint
    proc = Counter("tls", mailman.config, streams="py,java").start_async()
    assert proc.connected.wait(30) and proc._core.connection.failure is None
    audio = np.arange(3200, dtype=np.int16)
    RecorderSocket(mailman.config, audio, stream="py", period=0.1, samplerate=RATE, realtime=False).start()
    rec = mailman.java("record", "-c", str(mailman.config), "--stream", "java", "--source", "synth", "--seconds", "1",
                       "--period", "0.5", name="java record")     # the config carries TLS_FINGERPRINT
    assert rec.wait() == 0, rec.logs()
    wait_for(lambda: len(proc.seqs) == 4, what="2 Python and 2 Java chunks over TLS")
    proc.close()
    assert b"".join(r for r, s in zip(proc.raw, proc.streams) if s == "py") == audio.tobytes()
    assert proc.streams.count("java") == 2


def test_tls_with_the_wrong_fingerprint_never_connects(mailman_factory, caplog):
    mailman = mailman_factory(tls_self_signed=True)
    proc = Counter("mitm", mailman.config, tls_fingerprint="AA" * 32).start_async()
    wait_for(lambda: any("TLS_FINGERPRINT" in r.getMessage() for r in caplog.records), what="the TLS error")
    assert not proc.connected.is_set()
    proc.close()
    msg = next(r.getMessage() for r in caplog.records if "TLS_FINGERPRINT" in r.getMessage())
    assert "fingerprint" in msg and "not the pinned" in msg


def test_plain_client_against_a_tls_mailman_is_told_about_tls(mailman_factory, caplog):
    mailman = mailman_factory(tls_self_signed=True)
    plain = dataclasses.replace(load_config(mailman.config), tls_fingerprint=None)
    proc = Counter("plain", plain, streams="x").start_async()
    wait_for(lambda: any("does it speak TLS" in r.getMessage() for r in caplog.records), what="the TLS hint")
    assert not proc.connected.is_set()
    proc.close()
