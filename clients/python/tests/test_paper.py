"""The paper's three scripts (§4.2-4.4) against our mailman."""
import json
import signal
import socket

import numpy as np
import pytest

from conftest import run_python
from audiosockets import ConfigError, RecorderSocket

PROCESSOR_EXAMPLE = '''\
from audiosockets import BaseProcessorSocket
from audiosockets.utils import LogMelSpectrogram


class LMSProcessor(BaseProcessorSocket):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def process_data(self, data):
        fs = data["fs"]
        audio = data["data"]
        lms = LogMelSpectrogram(fs)(audio)
        print(lms.shape)


if __name__ == "__main__":
    processor = LMSProcessor(
        "VAD",
        "server_info.json")
    processor.start()
'''

MAILMAN_SCRIPT = '''\
from audiosockets import MailmanSocket
if __name__ == "__main__":
    mailman = MailmanSocket(
        "server_info.json")
    mailman.start()
'''

RECORDER_SCRIPT = '''\
from audiosockets import RecorderSocket
if __name__ == "__main__":
    recorder = RecorderSocket(
        "server_info.json", "tone.wav")
    recorder.start()
'''


def test_the_papers_processor_example_prints_128_51_per_half_second_chunk(mailman, tmp_path):
    (tmp_path / "server_info.json").write_text(mailman.config.read_text())
    proc = run_python(PROCESSOR_EXAMPLE, "lms", tmp_path)
    mailman.proc.wait_out(r"processor 'VAD' .* registered", err=True)
    rec = mailman.java("record", "-c", str(mailman.config), "--source", "synth", "--seconds", "2", name="java record")
    assert rec.wait() == 0, rec.logs()
    proc.wait_out(r"^\(128, 51\)$", count=4)
    proc.signal(signal.SIGINT)               # Ctrl-C: says goodbye with DISCONNECT_MSG and returns
    assert proc.wait() == 0, proc.logs()
    assert proc.out == ["(128, 51)"] * 4
    assert "Traceback" not in "\n".join(proc.err)
    mailman.proc.wait_out(r"processor 'VAD' .* disconnected \(BYE\)", err=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_wav(path, samples: np.ndarray, rate: int) -> None:
    import wave
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


def test_the_papers_three_scripts_work_together(jar, tmp_path):
    port = free_port()
    (tmp_path / "server_info.json").write_text(json.dumps({
        "SERVER": "127.0.0.1", "PORT": port, "HEADER": 64, "FORMAT": "utf-8", "DISCONNECT_MSG": "DISCONNECT",
        "logging_format": "%(asctime)s-%(message)s", "logging_level": "info"}))
    tone = (np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    write_wav(tmp_path / "tone.wav", tone, 16000)
    server = run_python(MAILMAN_SCRIPT, "server", tmp_path)
    try:
        server.wait_out(rf"mailman listening on 127\.0\.0\.1:{port}", err=True)
        proc = run_python(PROCESSOR_EXAMPLE, "lms", tmp_path)
        server.wait_out(r"processor 'VAD' .* registered", err=True)
        rec = run_python(RECORDER_SCRIPT, "recorder", tmp_path)
        assert rec.wait() == 0, rec.logs()                      # 1 s of WAV at real time: 2 chunks, all acknowledged
        proc.wait_out(r"^\(128, 51\)$", count=2)
        proc.signal(signal.SIGINT)
        assert proc.wait() == 0, proc.logs()
    finally:
        server.signal(signal.SIGINT)
        server.wait()
    assert "Traceback" not in "\n".join(server.err + proc.err + rec.err)


def test_recorder_without_sounddevice_says_what_to_do(mailman):
    try:
        import sounddevice  # noqa: F401
        pytest.skip("sounddevice is installed here")   # only the message without it is under test
    except (ImportError, OSError):
        pass
    with pytest.raises(ConfigError, match=r"needs the 'sounddevice' package.*or give a source"):
        RecorderSocket(mailman.config)
