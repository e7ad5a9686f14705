"""Resume by name after SIGKILL, the exact retention GAP, and a recorder across a mailman restart."""
import re
import signal
import sys
import threading
import time

import numpy as np

from conftest import Proc, python_env, wait_for
from audiosockets import BaseProcessorSocket, RecorderSocket

RATE = 16000
LINE = re.compile(r"^s\s+#(\d+)\s.*?(redelivered)?$")


def cli_processor(mailman, name: str) -> Proc:
    return Proc([sys.executable, "-m", "audiosockets", "process", "-c", str(mailman.config), "--name", name,
                 "--stream", "s", "--window", "4", "print"], name, env=python_env())


def seqs(proc: Proc):
    return [(int(m.group(1)), bool(m.group(2))) for m in (LINE.match(line) for line in list(proc.out)) if m]


def test_processor_killed_and_restarted_gets_every_chunk_once_redeliveries_flagged(mailman):
    n = 60
    audio = np.zeros(n * 800, dtype=np.int16)                   # 60 chunks of 50 ms, at real time: 3 s
    first = cli_processor(mailman, "victim")
    mailman.proc.wait_out(r"processor 'victim' .* registered", err=True)
    rec = RecorderSocket(mailman.config, audio, stream="s", period=0.05, samplerate=RATE).start_async()
    wait_for(lambda: len(seqs(first)) >= 10, what="the first processor to print 10 chunks")
    first.signal(signal.SIGSTOP)                                  # its window fills with chunks it never acks
    wait_for(lambda: rec.chunks_sent >= len(seqs(first)) + 10, what="chunks to flow past the stopped processor")
    first.signal(signal.SIGKILL)
    first.wait()
    before = seqs(first)
    second = cli_processor(mailman, "victim")                     # the same name: resumes where it left off
    wait_for(lambda: any(s == n - 1 for s, _ in seqs(second)), what="the restarted processor to reach the last chunk")
    rec.close()
    second.signal(signal.SIGINT)
    assert second.wait() == 0, second.logs()
    after = seqs(second)
    assert all(not flagged for _, flagged in before)
    after_seqs = [s for s, _ in after]
    assert after_seqs == list(range(after_seqs[0], n)), "the restarted processor got every chunk once, in order"
    assert {s for s, _ in before} | set(after_seqs) == set(range(n)), "no chunk lost between the two"
    redelivered = [s for s, flagged in after if flagged]
    assert redelivered, "chunks sent to the killed processor and never acknowledged come again, flagged"
    assert redelivered == after_seqs[:len(redelivered)]
    twice = {s for s, _ in before} & set(after_seqs)
    assert twice <= set(redelivered), "a chunk seen twice is flagged the second time"


class Slow(BaseProcessorSocket):
    """Blocks in its first chunk until released; records chunks and gaps in order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = threading.Event()
        self.items = []

    def process_data(self, data):
        if not self.items:
            self.release.wait(60)
        self.items.append(("audio", data["seq"], data["seq"]))

    def on_gap(self, gap):
        self.items.append(("gap", gap.from_seq, gap.to_seq, gap.reason))


def test_processor_that_falls_out_of_retention_gets_the_exact_gap(mailman_factory):
    mailman = mailman_factory({"RETENTION_SECONDS": 0.5})
    proc = Slow("slow", mailman.config, streams="s", window=1).start_async()
    assert proc.connected.wait(30)
    n = 30
    rec = RecorderSocket(mailman.config, np.zeros(n * 1600, dtype=np.int16), stream="s", period=0.1,
                         samplerate=RATE).start_async()      # 3 s at real time, 0.5 s retained
    wait_for(lambda: rec.chunks_acknowledged >= n, what="the recorder's last chunk")
    proc.release.set()
    wait_for(lambda: proc.items and proc.items[-1][2] == n - 1, what="the processor to reach the last chunk")
    rec.close()
    proc.close()
    gaps = [i for i in proc.items if i[0] == "gap"]
    assert gaps and all(g[3] == "RETENTION_EXCEEDED" for g in gaps)
    assert gaps[0][1] == 1, "the gap starts at the chunk the processor was due"
    at = 0
    for item in proc.items:                       # every item starts one past the previous: nothing lost, nothing twice
        assert item[1] == at, proc.items
        at = item[2] + 1
    assert at == n


class Keeper(BaseProcessorSocket):
    """Slower than real time at first, so that it is behind when the mailman restarts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []

    def process_data(self, data):
        if data["seq"] < 20:
            time.sleep(0.2)
        self.items.append(("audio", data["seq"], data["raw"]))

    def on_gap(self, gap):
        self.items.append(("gap", gap.from_seq, gap.to_seq))


def test_python_recorder_across_a_mailman_restart_loses_nothing(mailman):
    n = 50
    audio = np.random.default_rng(3).integers(-32768, 32767, size=n * 1600, dtype=np.int16)
    proc = Keeper("keeper", mailman.config, streams="s").start_async()
    assert proc.connected.wait(30)
    rec = RecorderSocket(mailman.config, audio, stream="s", period=0.1, samplerate=RATE).start_async()   # 5 s
    wait_for(lambda: len(proc.items) >= 10, what="10 chunks before the restart")
    mailman.restart()                             # same port; the new mailman remembers nothing
    # The processor is behind: what it still needs is older than the new mailman's log, so the
    # mailman asks the recorder to replay it from its buffer (PROTOCOL.md §5.12).
    mailman.proc.wait_out(r"replaying \d+ chunk\(s\) from seq", err=True)
    wait_for(lambda: len(proc.items) and proc.items[-1][1] >= n - 1, what="the last chunk after the restart")
    assert rec.wait_delivered(30)
    rec.close()
    proc.close()
    assert [i for i in proc.items if i[0] == "gap"] == []
    assert [i[1] for i in proc.items] == list(range(n)), "every chunk once, in order, across the restart"
    assert b"".join(i[2] for i in proc.items) == audio.astype("<i2").tobytes()


def test_a_finite_source_waits_for_a_late_mailman_and_drops_nothing(mailman_factory, tmp_path):
    import json
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = tmp_path / "early.json"
    cfg.write_text(json.dumps({"PORT": port, "RECORDER_BUFFER_SECONDS": 0.5, "RECONNECT_SECONDS": 0.2}))
    n = 30
    audio = np.random.default_rng(5).integers(-32768, 32767, size=n * 1600, dtype=np.int16)
    rec = RecorderSocket(cfg, audio, stream="late", period=0.1, samplerate=RATE, realtime=False).start_async()
    wait_for(lambda: rec.chunks_captured >= 5, what="the buffer (0.5 s: 5 chunks) to fill")
    assert not rec.capture_ended.wait(1.0), "with no mailman and a full buffer, reading the source waits"
    assert rec.chunks_captured == 5
    mailman = mailman_factory(port=port)
    proc = Keeper("late-reader", mailman.config, streams="late", start="oldest").start_async()
    assert rec.capture_ended.wait(60) and rec.wait_delivered(60)
    wait_for(lambda: len(proc.items) and proc.items[-1][1] == n - 1, what="the last chunk at the processor")
    rec.close()
    proc.close()
    assert rec.chunks_dropped == 0
    assert [i[1] for i in proc.items] == list(range(n))
    assert b"".join(i[2] for i in proc.items) == audio.tobytes()
