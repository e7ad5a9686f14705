"""Python recorder -> Java processors, and Java recorder -> Python processor: samples byte-equal,
s16 and f32, mono and stereo."""
import struct
import threading
from pathlib import Path

import numpy as np
import pytest

from conftest import wait_for
from audiosockets import BaseProcessorSocket, RecorderSocket

RATE = 16000
FORMATS = [("s16", 1), ("s16", 2), ("f32", 1), ("f32", 2)]


def signal_for(fmt: str, channels: int, frames: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (frames,) if channels == 1 else (frames, channels)
    if fmt == "s16":
        return rng.integers(-32768, 32767, size=shape, dtype=np.int16)
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def wav_data(path: Path) -> bytes:
    raw = path.read_bytes()
    at = 12
    while at + 8 <= len(raw):
        cid, size = raw[at:at + 4], struct.unpack_from("<I", raw, at + 4)[0]
        if cid == b"data":
            return raw[at + 8:at + 8 + size]
        at += 8 + size + (size & 1)
    return b""


@pytest.mark.parametrize("fmt, channels", FORMATS)
def test_python_recorder_to_java_archive_and_print(mailman, tmp_path, fmt, channels):
    audio = signal_for(fmt, channels, RATE)                         # 1 s: 10 chunks of 0.1 s
    archive_dir = tmp_path / "archive"
    archive = mailman.java("process", "-c", str(mailman.config), "--name", "arch", "--stream", "py", "archive",
                           "--dir", str(archive_dir), "--rotate", "600", name="java archive")
    printer = mailman.java("process", "-c", str(mailman.config), "--name", "printer", "--stream", "py", "print",
                           name="java print")
    mailman.proc.wait_out(r"processor 'arch' .* registered", err=True)
    mailman.proc.wait_out(r"processor 'printer' .* registered", err=True)
    rec = RecorderSocket(mailman.config, audio, stream="py", period=0.1, samplerate=RATE, realtime=False)
    rec.start()                                                      # returns once everything is acknowledged
    assert rec.chunks_acknowledged == 10 and rec.buffer.unacknowledged() == 0
    lines = printer.wait_out(r"^py\s+#(\d+)\s+\S+\s+1600 frames\s+16000 Hz (\d) ch", count=10)
    assert [int(m.group(1)) for m in lines] == list(range(10))
    assert {m.group(2) for m in lines} == {str(channels)}
    expected = audio.astype("<i2" if fmt == "s16" else "<f4").tobytes()
    files = wait_for(lambda: sorted(archive_dir.glob("py_*.wav")) or None, what="the archive's WAV file")
    assert len(files) == 1
    wait_for(lambda: len(wav_data(files[0])) >= len(expected), what="the archive to hold every sample")
    assert wav_data(files[0]) == expected                             # byte for byte
    for p in (archive, printer):
        p.stop()


class Collector(BaseProcessorSocket):
    """Keeps every data dict."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        self.lock = threading.Lock()

    def process_data(self, data):
        with self.lock:
            self.items.append(data)

    def raw(self) -> bytes:
        with self.lock:
            return b"".join(d["raw"] for d in self.items)


@pytest.mark.parametrize("fmt, channels", FORMATS)
def test_java_recorder_to_python_processor(mailman, tmp_path, fmt, channels):
    audio = signal_for(fmt, channels, RATE // 2, seed=11)
    expected = audio.astype("<i2" if fmt == "s16" else "<f4").tobytes()
    pcm = tmp_path / "in.pcm"
    pcm.write_bytes(expected)
    proc = Collector("collector", mailman.config, streams="j").start_async()
    assert proc.connected.wait(30)
    with open(pcm, "rb") as stdin:
        rec = mailman.java("record", "-c", str(mailman.config), "--stream", "j", "--source", "stdin", "--samplerate",
                           str(RATE), "--channels", str(channels), "--sample-format", fmt, "--period", "0.1",
                           name="java record", stdin=stdin)
        assert rec.wait() == 0, rec.logs()
    wait_for(lambda: len(proc.raw()) >= len(expected), what="every sample at the Python processor")
    proc.close()
    assert proc.raw() == expected                                     # byte for byte
    items = proc.items
    assert [d["seq"] for d in items] == list(range(len(items)))
    assert {(d["format"], d["channels"], d["fs"], d["redelivered"]) for d in items} == {(fmt, channels, RATE, False)}
    first = items[0]["data"]
    assert first.dtype == np.float32
    assert first.shape == ((1600,) if channels == 1 else (1600, channels))
    want = audio[:1600].astype(np.float32) / (32768.0 if fmt == "s16" else 1.0)
    assert np.array_equal(first, want)


def test_pull_form_yields_the_data_dicts_and_says_bye_on_break(mailman):
    import audiosockets
    got = []
    rec = RecorderSocket(mailman.config, np.arange(8000, dtype=np.int16), stream="mic", period=0.1, samplerate=RATE,
                         realtime=False)
    rec.start()                                        # the stream is retained; the loop reads it from the oldest
    for data in audiosockets.subscribe(mailman.config, stream="mic", name="puller", start="oldest"):
        got.append((data["seq"], data["raw"]))
        if len(got) == 5:
            break
    assert [s for s, _ in got] == list(range(5))
    assert b"".join(r for _, r in got) == np.arange(8000, dtype=np.int16).tobytes()
    mailman.proc.wait_out(r"processor 'puller' .* disconnected \(BYE\)", err=True)


class Hooked(BaseProcessorSocket):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events = []

    def on_start(self):
        self.events.append("start")

    def process_data(self, data):
        self.events.append(data["seq"])
        if data["seq"] == 1:
            raise RuntimeError("a bug in the user's code")

    def on_stop(self):
        self.events.append("stop")


def test_hooks_run_and_an_exception_in_process_data_does_not_stop_the_stream(mailman, caplog):
    proc = Hooked("hooked", mailman.config, streams="h", start="oldest")
    RecorderSocket(mailman.config, np.zeros(4 * 1600, dtype=np.int16), stream="h", period=0.1, samplerate=RATE,
                   realtime=False).start()
    proc.start_async()
    wait_for(lambda: 3 in proc.events, what="the chunk after the one that raised")
    proc.close()
    assert proc.events == ["start", 0, 1, 2, 3, "stop"]
    assert any("process_data threw" in r.getMessage() and r.exc_info for r in caplog.records)
    assert any("stream 'h' seq 1" in r.getMessage() for r in caplog.records)
