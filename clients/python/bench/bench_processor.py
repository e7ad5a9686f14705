#!/usr/bin/env python3
"""One Python processor against the Java mailman: throughput and latency (BENCHMARKS.md, end).

    python3 clients/python/bench/bench_processor.py [--chunks 100000] [--seconds 30] [--window 64]

1. Throughput: a Python recorder fills one stream with ``--chunks`` chunks of 320 samples (s16,
   16 kHz, 20 ms) as fast as the mailman acknowledges; then one Python processor reads them all
   from the oldest (``start="oldest"``) as fast as the mailman sends: chunks/s from its first chunk
   to its last.
2. Latency at real-time pace: the Java recorder (``record --source synth --period 0.02``, 50
   chunks/s) feeds one Python processor and the Java ``process print`` processor at once; each
   measures, at the start of its processing, now minus the scheduled end of the chunk (capture
   time of its first sample + its duration), as ``process print`` does. p50/p99 of both.

The mailman is the jar's (AUDIOSOCKETS_JAR or audiosockets-app/target/audiosockets.jar), on
127.0.0.1 with an ephemeral port.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from audiosockets import BaseProcessorSocket, RecorderSocket  # noqa: E402
from audiosockets.mailman import find_jar, find_java  # noqa: E402


def start_mailman(tmp: Path, settings: dict) -> tuple:
    cfg = tmp / "mailman.json"
    cfg.write_text(json.dumps({"SERVER": "127.0.0.1", "PORT": 0, "logging_level": "info",
                               "logging_format": "%(message)s", **settings}))
    p = subprocess.Popen([find_java(), "-jar", str(find_jar()), "server", "-c", str(cfg)], stderr=subprocess.PIPE,
                         text=True)
    for line in p.stderr:
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
    client = tmp / "server_info.json"
    client.write_text(json.dumps({"SERVER": "127.0.0.1", "PORT": port, "logging_level": "warning", **settings}))
    return p, client


class Counting(BaseProcessorSocket):
    def __init__(self, *args, total: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.total, self.n, self.first, self.last = total, 0, 0.0, 0.0
        self.done = threading.Event()

    def process_data(self, data):
        if self.n == 0:
            self.first = time.perf_counter()
        self.n += 1
        _ = data["data"]
        if self.n == self.total:
            self.last = time.perf_counter()
            self.done.set()


class Latency(BaseProcessorSocket):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ms = []

    def process_data(self, data):
        end_ns = data["time_ns"] + data["frames"] * 1_000_000_000 // data["fs"]
        self.ms.append((time.time_ns() - end_ns) / 1e6)


def pct(values, q):
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def throughput(client: Path, chunks: int, window: int) -> dict:
    audio = np.random.default_rng(1).integers(-32768, 32767, size=chunks * 320, dtype=np.int16)
    t0 = time.perf_counter()
    RecorderSocket(client, audio, stream="fill", period=0.02, samplerate=16000, realtime=False).start()
    fill = time.perf_counter() - t0
    proc = Counting("bench", client, streams="fill", start="oldest", window=window, total=chunks).start_async()
    if not proc.done.wait(600):
        raise SystemExit(f"the processor got {proc.n} of {chunks} chunks in 600 s")
    proc.close()
    return {"chunks": chunks, "window": window, "recorder_chunks_per_s": chunks / fill,
            "processor_chunks_per_s": (chunks - 1) / (proc.last - proc.first)}


def latency(client: Path, seconds: float) -> dict:
    py = Latency("py-latency", client, streams="lat", start="live").start_async()
    java_print = subprocess.Popen([find_java(), "-jar", str(find_jar()), "process", "-c", str(client), "--name",
                                   "java-latency", "--stream", "lat", "--start", "live", "print"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    java_ms = []
    threading.Thread(target=lambda: [java_ms.append(float(m.group(1))) for line in java_print.stdout
                                     if (m := re.search(r"latency\s+(-?[\d.]+) ms", line))], daemon=True).start()
    py.connected.wait(30)
    time.sleep(3)   # the Java processor's JVM starts and registers
    rec = subprocess.run([find_java(), "-jar", str(find_jar()), "record", "-c", str(client), "--stream", "lat",
                          "--source", "synth", "--period", "0.02", "--seconds", str(seconds)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    py.close()
    java_print.terminate()
    java_print.wait()
    warm = int(2 / 0.02)   # the first 2 s are warm-up
    p, j = py.ms[warm:], java_ms[warm:]
    return {"recorder_exit": rec.returncode, "python_n": len(p), "java_n": len(j),
            "python_p50_ms": pct(p, 50), "python_p99_ms": pct(p, 99), "java_p50_ms": pct(j, 50),
            "java_p99_ms": pct(j, 99)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("--window", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    settings = {"RETENTION_SECONDS": 7200, "RETENTION_BYTES": 1 << 30}
    with tempfile.TemporaryDirectory() as d:
        mailman, client = start_mailman(Path(d), settings)
        try:
            result = {"throughput": throughput(client, args.chunks, args.window),
                      "latency": latency(client, args.seconds)}
        finally:
            mailman.terminate()
            mailman.wait()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
