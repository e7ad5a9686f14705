"""Result streams (PROTOCOL.md §9) on the real Java mailman: the Python ResultPublisher to Python
subscribers (class, callback and pull forms) and to a raw version-2 socket, resume by name after
SIGKILL, a publisher across a mailman restart (blocking when full, resend, REPLAY answered with
none), version-1 processors that never see a record, and the wrong kinds refused by name."""
import json
import re
import signal
import socket
import sys
import threading

import numpy as np
import pytest

from conftest import Proc, python_env, wait_for
from test_connection import ScriptedMailman, audio
from audiosockets import BaseProcessorSocket, Config, MailmanError, Record, RecorderSocket, ResultPublisher, subscribe, wire

T0 = 1_700_000_000_123_456_789


class RawProcessor:
    """A version-2 processor over a plain socket: what any client of PROTOCOL.md sees, byte for byte."""

    def __init__(self, port: int, hello: wire.Hello) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buf = b""
        self.sock.sendall(wire.encode_hello(hello))
        first = self.next()
        assert isinstance(first[0], wire.Welcome), first

    def next(self):
        """The next frame other than PING (answered): (decoded, raw bytes)."""
        while True:
            while len(self.buf) < 8 or len(self.buf) < 8 + int.from_bytes(self.buf[4:8], "big"):
                data = self.sock.recv(65536)
                assert data, "the mailman closed the connection"
                self.buf += data
            n = 8 + int.from_bytes(self.buf[4:8], "big")
            raw, self.buf = self.buf[:n], self.buf[n:]
            [f] = wire.FrameReader().feed(raw)
            if isinstance(f, wire.Ping):
                self.sock.sendall(wire.encode_pong(f.nonce))
                continue
            return f, raw

    def close(self) -> None:
        self.sock.close()


class Collector(BaseProcessorSocket):
    """Keeps every record, chunk and gap in the order processed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.got = []

    def process_data(self, data):
        self.got.append(("audio", data["stream"], data["seq"]))

    def process_record(self, record):
        self.got.append(record)

    def on_gap(self, gap):
        self.got.append(("gap", gap.stream, gap.from_seq, gap.to_seq, gap.reason))

    def records(self):
        return [r for r in list(self.got) if isinstance(r, Record)]


def pull(n: int, *args, **kwargs):
    """The first ``n`` items of ``subscribe(*args, **kwargs)``, on a thread, so that a failure fails the test
    rather than hanging it."""
    items = []

    def run():
        for item in subscribe(*args, **kwargs):
            items.append(item)
            if len(items) == n:
                break
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), f"subscribe gave {len(items)} of {n} items within 60 s: {items}"
    return items


def mixed(i: int):
    """Record i of a test stream: (content_type, value to publish, the bytes that must arrive)."""
    if i % 3 == 0:
        value = {"i": i, "event": "speech_start" if i % 2 else "speech_end", "p": 0.5 + i / 1000, "ü": "ß"}
        return "json", value, json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    if i % 3 == 1:
        value = np.linspace(-1, 1, 1 + i % 7, dtype=np.float32) * i
        return "float32", value, value.astype("<f4").tobytes()
    value = bytes(range(i % 256)) + b"\x00\xff"
    return "bytes", value, value


def publish_mixed(pub: ResultPublisher, i: int) -> None:
    kind, value, _ = mixed(i)
    t, d = T0 + i * 32_000_000, (i % 4) * 16_000_000
    if kind == "json":
        pub.publish_json(None, None, value, time_ns=t, duration_ns=d)
    elif kind == "float32":
        pub.publish_floats(None, None, value, time_ns=t, duration_ns=d)
    else:
        pub.publish(None, None, "bytes", value, time_ns=t, duration_ns=d)


def check_mixed(r: Record, i: int, stream: str) -> None:
    kind, value, data = mixed(i)
    assert (r.stream, r.seq, r.time_ns, r.duration_ns, r.content_type, r.data) == \
        (stream, i, T0 + i * 32_000_000, (i % 4) * 16_000_000, kind, data), f"record {i}"
    if kind == "json":
        assert r.json() == value
    elif kind == "float32":
        assert np.array_equal(r.floats(), value)


def test_python_publisher_to_python_and_raw_subscribers_every_record_in_order_byte_equal(mailman):
    n = 120
    sub = Collector("vad-reader", mailman.config, streams="mic.vad", window=8).start_async()
    assert sub.connected.wait(30)
    mailman.proc.wait_out(r"processor 'vad-reader' .* registered", err=True)
    raw = RawProcessor(mailman.port, wire.Hello(wire.ROLE_PROCESSOR, "raw-reader", 7, "", 512, wire.START_OLDEST,
                                                subscriptions=("mic.vad",), version=2))
    with ResultPublisher("mic.vad", mailman.config) as pub:
        assert pub.connected.wait(30) and pub.seq_base == 0
        for i in range(n):
            publish_mixed(pub, i)
        assert pub.wait_acknowledged(60)
        assert (pub.published, pub.acknowledged, pub.unacknowledged()) == (n, n, 0)
    wait_for(lambda: len(sub.records()) >= n, what=f"{n} records at the Python subscriber")
    sub.close()
    records = sub.records()
    assert len(records) == n and sub.got == records, "records only, no gap, nothing twice"
    for i, r in enumerate(records):
        check_mixed(r, i, "mic.vad")
        assert not r.redelivered
    assert sub.records_processed == n and sub.processed == n
    for i in range(n):       # the mailman forwards what the Python publisher encoded, byte for byte
        f, data = raw.next()
        kind, _, payload = mixed(i)
        assert data == wire.encode_record("mic.vad", i, T0 + i * 32_000_000, (i % 4) * 16_000_000,
                                          wire.CONTENT_CODES[kind], payload), f"record {i}"
        assert data[2] == 2 and data[3] == wire.RECORD
    raw.close()


def test_a_second_publisher_continues_the_numbering(mailman):
    with ResultPublisher("kw", mailman.config) as pub:
        for i in range(3):
            pub.publish_json(T0 / 1e9, 0, {"n": i})
    with ResultPublisher("kw", mailman.config) as pub:
        assert pub.connected.wait(30) and pub.seq_base == 3, "WELCOME.lastSeq + 1"
        pub.publish_json(T0 / 1e9, 0.5, '{"n": 3}')
    got = pull(4, mailman.config, stream="kw", start="oldest")
    assert [(r.seq, r.json()["n"]) for r in got] == [(i, i) for i in range(4)]
    assert got[0].time_ns == round(T0 / 1e9 * 1e9) and got[3].duration == 0.5


def cli_reader(mailman, name: str) -> Proc:
    return Proc([sys.executable, "-m", "audiosockets", "process", "-c", str(mailman.config), "--name", name,
                 "--stream", "mic.vad", "--window", "4", "print"], name, env=python_env())


LINE = re.compile(r"^mic\.vad\s+#(\d+)\s+record json \d+ bytes (\{.*\})(  redelivered)?$")


def lines(proc: Proc):
    return [(int(m.group(1)), json.loads(m.group(2)), bool(m.group(3)))
            for m in (LINE.match(line) for line in list(proc.out)) if m]


def test_subscriber_killed_and_restarted_under_its_name_resumes_every_record_redeliveries_flagged(mailman):
    first = cli_reader(mailman, "vad-log")
    mailman.proc.wait_out(r"processor 'vad-log' .* registered", err=True)
    with ResultPublisher("mic.vad", mailman.config) as pub:
        for i in range(10):
            pub.publish_json(i * 0.1, 0.1, {"i": i})
        wait_for(lambda: len(lines(first)) >= 10, what="the first reader to print 10 records")
        first.signal(signal.SIGSTOP)                       # its window fills with records it never acknowledges
        for i in range(10, 30):
            pub.publish_json(i * 0.1, 0.1, {"i": i})
        assert pub.wait_acknowledged(60), "the mailman holds them while the reader is stopped"
        first.signal(signal.SIGKILL)
        first.wait()
        before = lines(first)
        second = cli_reader(mailman, "vad-log")            # the same name: resumes where it left off
        for i in range(30, 40):
            pub.publish_json(i * 0.1, 0.1, {"i": i})
        wait_for(lambda: any(s == 39 for s, _, _ in lines(second)), what="the restarted reader to reach record 39")
    second.signal(signal.SIGINT)
    assert second.wait() == 0, second.logs()
    after = lines(second)
    assert all(value == {"i": s} for s, value, _ in before + after), "every record byte-equal as published"
    after_seqs = [s for s, _, _ in after]
    assert after_seqs == list(range(after_seqs[0], 40)), "the restarted reader got every record once, in order"
    assert {s for s, _, _ in before} | set(after_seqs) == set(range(40)), "no record lost between the two"
    redelivered = [s for s, _, flagged in after if flagged]
    assert redelivered, "records sent to the killed reader and never acknowledged come again, flagged"
    assert redelivered == after_seqs[:len(redelivered)]
    assert {s for s, _, _ in before} & set(after_seqs) <= set(redelivered)


def test_callback_pull_and_version_1_processors(mailman):
    with ResultPublisher("mic.vad", mailman.config) as pub:
        for i in range(6):
            publish_mixed(pub, i)
    RecorderSocket(mailman.config, np.arange(4 * 800, dtype=np.int16), stream="mic", period=0.05, samplerate=16000,
                   realtime=False).start()
    chunks, records = [], []
    cb = BaseProcessorSocket.of("cb", mailman.config, lambda d: chunks.append(d["seq"]), on_record=records.append,
                                start="oldest").start_async()
    old = Collector("old", mailman.config, streams=["mic", "mic.vad"], start="oldest", protocol_version=1).start_async()
    old_all = Collector("old-all", mailman.config, start="oldest", protocol_version=1).start_async()
    wait_for(lambda: len(chunks) == 4 and len(records) == 6, what="the callback form to get 4 chunks and 6 records")
    for i, r in enumerate(records):
        check_mixed(r, i, "mic.vad")
    mailman.proc.wait_out(r"processor 'old' .*subscribes to result stream 'mic.vad', but speaks protocol version 1",
                          err=True)
    for p in (old, old_all):
        wait_for(lambda: len(p.got) == 4, what=f"{p.name} to get the 4 chunks")
    pulled = pull(10, mailman.config, stream="mic,mic.vad", name="puller", start="oldest")
    cb.close()
    old.close()
    old_all.close()
    assert old.got == [("audio", "mic", s) for s in range(4)], "a version-1 processor gets the audio, no record"
    assert old_all.got == old.got and old_all.records_processed == 0
    got_records = [x for x in pulled if isinstance(x, Record)]
    assert [x["seq"] for x in pulled if not isinstance(x, Record)] == [0, 1, 2, 3]
    for i, r in enumerate(got_records):
        check_mixed(r, i, "mic.vad")
    assert len(got_records) == 6


def test_publisher_across_a_mailman_restart_blocks_when_full_resends_and_answers_replay_with_none(mailman_factory):
    mailman = mailman_factory({"MAX_FRAME_BYTES": 1024, "RECORDER_BUFFER_BYTES": 1024})
    payload = [bytes([i]) * 300 for i in range(10)]          # 3 fit in 1024 bytes unacknowledged, the 4th waits
    pub = ResultPublisher("res", mailman.config).start()
    for i in range(2):
        pub.publish(i, 0, "bytes", payload[i])
    assert pub.wait_acknowledged(30)
    mailman.stop()
    wait_for(lambda: not pub.connection.welcomed, what="the publisher to notice the mailman is gone")
    for i in range(2, 5):
        pub.publish(i, 0, "bytes", payload[i])                 # kept: 900 bytes unacknowledged
    rest = threading.Thread(target=lambda: [pub.publish(i, 0, "bytes", payload[i]) for i in range(5, 10)])
    rest.start()
    rest.join(1.5)
    assert rest.is_alive() and pub.published == 5, "publish waits while the unacknowledged records fill the bound"
    mailman.start()                                            # the same port, an empty memory
    rest.join(60)
    assert not rest.is_alive()
    assert pub.wait_acknowledged(60) and (pub.published, pub.acknowledged) == (10, 10)
    # A reader asking for the stream from seq 0: the new mailman holds 2..9 only, asks the publisher
    # to REPLAY 0..1, and the publisher (which keeps no acknowledged records) answers with none.
    raw = RawProcessor(mailman.port, wire.Hello(wire.ROLE_PROCESSOR, "late", 9, "", 64, wire.START_RESUME,
                                                subscriptions=("res",), positions=(("res", 0),), version=2))
    gap, _ = raw.next()
    assert isinstance(gap, wire.Gap) and (gap.stream, gap.from_seq, gap.to_seq, gap.reason) == \
        ("res", 0, 1, "NOT_AVAILABLE"), gap
    for i in range(2, 10):
        f, data = raw.next()
        assert data == wire.encode_record("res", i, i * 10**9, 0, wire.CONTENT_BYTES, payload[i]), f"record {i}"
    raw.close()
    pub.close()


def test_wrong_kinds_are_refused_naming_the_stream(mailman):
    RecorderSocket(mailman.config, np.zeros(1600, dtype=np.int16), stream="mic", period=0.05, samplerate=16000,
                   realtime=False).start()
    pub = ResultPublisher("mic", mailman.config).start()
    assert pub.connection.terminated.wait(30), "refused for good, not retried"
    with pytest.raises(MailmanError) as e:
        pub.publish_json(0, 0, {"x": 1})
    assert e.value.code_name == "INVALID_VALUE" and "'mic'" in str(e.value)
    pub.close()
    with ResultPublisher("mic.vad", mailman.config) as vad:
        vad.publish_json(0, 0, {"x": 1})
        assert vad.wait_acknowledged(30)
    with pytest.raises(MailmanError) as e:
        RecorderSocket(mailman.config, np.zeros(1600, dtype=np.int16), stream="mic.vad", period=0.05,
                       samplerate=16000, realtime=False).start()
    assert e.value.code_name == "INVALID_VALUE" and "'mic.vad'" in str(e.value)


def test_a_version_1_mailman_refuses_the_version_2_hello_with_a_hint_and_is_reached_with_protocol_version_1():
    def version_1_mailman(server, c, reader, hello):     # what a mailman of version 1 answers (PROTOCOL.md §7)
        if hello.version != 1:
            c.sendall(wire.encode_error(wire.UNSUPPORTED_VERSION, f"protocol version {hello.version} is not supported "
                                        "(this peer speaks versions 1 to 1)"))
            return
        c.sendall(ScriptedMailman.welcome(5000) + audio(0))
        server.read(c, reader)                            # the ACK
    server = ScriptedMailman(version_1_mailman)
    try:
        cfg = Config(port=server.port, reconnect_seconds=0.2)
        with pytest.raises(MailmanError) as e:
            BaseProcessorSocket.of("new", cfg, lambda d: None).start()
        assert e.value.code_name == "UNSUPPORTED_VERSION" and "protocol_version=1" in str(e.value)
        got = []
        old = BaseProcessorSocket.of("old", cfg, got.append, protocol_version=1).start_async()
        wait_for(lambda: got, what="a chunk from the version-1 mailman")
        old.close()
        versions = [h.version for h in server.hellos]
        assert versions[0] == 2 and set(versions[1:]) == {1} and got[0]["seq"] == 0
    finally:
        server.close()
