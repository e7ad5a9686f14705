"""The Java mailman's /metrics read by a real Prometheus text-format parser (prometheus_client's,
not a regex): the counters match what this package's recorder sent and its processors received,
and a processor's lag rises while it is stalled and falls back to zero once it resumes."""
from __future__ import annotations

import os
import sys
import threading
import urllib.request
from typing import Dict, FrozenSet, Tuple

import numpy as np
import pytest

from conftest import wait_for
from audiosockets import BaseProcessorSocket, RecorderSocket

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    # Debian's python3-prometheus-client (installed by .ci/run) lives where pyenv's interpreter does not look.
    # Appended, so that this interpreter's own packages (numpy, pytest) still come first.
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        text_string_to_metric_families = None

if text_string_to_metric_families is None:
    HINT = ("the Prometheus text-format parser is missing: apt-get install python3-prometheus-client "
            "(what .ci/run does), or pip install prometheus-client")
    if os.environ.get("AUDIOSOCKETS_REQUIRE_CHROMIUM") == "1":
        raise ImportError(HINT)
    pytest.skip(HINT, allow_module_level=True)

RATE = 16000
CHUNKS = 20
PERIOD = 0.1  # 1600 frames a chunk

Samples = Dict[Tuple[str, FrozenSet[Tuple[str, str]]], float]


def scrape(base: str) -> Samples:
    """Every sample of /metrics, by name and labels, as the Prometheus parser reads them."""
    with urllib.request.urlopen(base + "/metrics", timeout=30) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode("utf-8")
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    key = (name, frozenset(labels.items()))
    assert key in samples, f"no {name}{labels} in /metrics; it has: " + ", ".join(
        sorted({n for n, _ in samples if n.startswith("audiosockets")}))
    return samples[key]


class Counting(BaseProcessorSocket):
    """Counts the chunks it processes; while ``hold`` is clear it does not return (so acknowledges nothing)."""

    def __init__(self, *args, hold: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = 0
        self.go = threading.Event()
        if not hold:
            self.go.set()

    def process_data(self, data):
        self.go.wait(120)
        self.count += 1


def test_counters_match_what_was_sent_and_lag_rises_while_stalled_then_falls(mailman_factory):
    # --http-port, not HTTP_PORT in the settings: those become the clients' server_info.json too, and this package's
    # config does not know the mailman's HTTP keys.
    mailman = mailman_factory(server_args=["--http-port", "0"])
    base = mailman.proc.wait_out(r"^dashboard: (http://127\.0\.0\.1:\d+)/")[0].group(1)

    meter = Counting("meter", mailman.config, streams="py-mic", start="oldest").start_async()
    stalled = Counting("stalled", mailman.config, streams="py-mic", start="oldest", hold=True).start_async()
    try:
        for p in (meter, stalled):
            assert p.connected.wait(30), f"processor {p.name} connected"
        audio = (np.sin(np.arange(CHUNKS * 1600) * 0.05) * 8000).astype(np.int16)
        rec = RecorderSocket(mailman.config, audio, stream="py-mic", period=PERIOD, samplerate=RATE, realtime=False)
        rec.start_async()
        try:
            assert rec.wait_delivered(30) and rec.chunks_acknowledged == CHUNKS
            wait_for(lambda: meter.count == CHUNKS, what=f"processor meter to process {CHUNKS} chunks")

            # The mailman counts the acknowledgement a moment after the processor sends it: wait for it on /metrics.
            s = wait_for(lambda: (lambda m: m if value(m, "audiosockets_processor_lag_chunks", processor="meter",
                                                       stream="py-mic") == 0 else None)(scrape(base)),
                         what="meter's lag to be 0 on /metrics")
            assert value(s, "audiosockets_stream_chunks_in_total", stream="py-mic") == CHUNKS
            assert value(s, "audiosockets_chunks_in_total") == CHUNKS
            chunk_bytes = value(s, "audiosockets_stream_bytes_in_total", stream="py-mic") / CHUNKS
            assert chunk_bytes >= 1600 * 2, "each chunk's frame holds at least its 1600 samples"
            assert value(s, "audiosockets_stream_recorder_connected", stream="py-mic") == 1
            assert value(s, "audiosockets_processor_delivered_total", processor="meter") == CHUNKS
            assert value(s, "audiosockets_processor_delivered_total", processor="stalled") == CHUNKS, \
                "20 chunks fit in the window: all are sent, none acknowledged"
            assert value(s, "audiosockets_deliveries_total") == 2 * CHUNKS
            assert value(s, "audiosockets_processor_gaps_total", processor="meter") == 0
            assert value(s, "audiosockets_processor_acked_seq", processor="meter", stream="py-mic") == rec.seq_base + CHUNKS - 1
            assert value(s, "audiosockets_connections", role="processor") == 2
            assert value(s, "audiosockets_connections", role="recorder") == 1
            assert value(s, "audiosockets_streams") == 1

            # Stalled: it has all 20 chunks and acknowledged none; its lag in seconds grows with time.
            assert value(s, "audiosockets_processor_lag_chunks", processor="stalled", stream="py-mic") == CHUNKS
            assert value(s, "audiosockets_processor_in_flight", processor="stalled", stream="py-mic") == CHUNKS
            first = value(s, "audiosockets_processor_lag_seconds", processor="stalled", stream="py-mic")
            later = wait_for(lambda: (lambda v: v if v > first + 0.5 else None)(
                value(scrape(base), "audiosockets_processor_lag_seconds", processor="stalled", stream="py-mic")),
                what="the stalled processor's lag_seconds to grow")
            assert later > first + 0.5

            # Resumed: it processes and acknowledges everything; its lag falls to zero.
            stalled.go.set()
            wait_for(lambda: stalled.count == CHUNKS, what="the stalled processor to catch up")
            s = wait_for(lambda: (lambda m: m if value(m, "audiosockets_processor_lag_chunks", processor="stalled",
                                                       stream="py-mic") == 0 else None)(scrape(base)),
                         what="the resumed processor's lag to be 0 on /metrics")
            assert value(s, "audiosockets_processor_lag_seconds", processor="stalled", stream="py-mic") == 0
            assert value(s, "audiosockets_processor_in_flight", processor="stalled", stream="py-mic") == 0
            assert value(s, "audiosockets_processor_delivered_total", processor="stalled") == CHUNKS
        finally:
            rec.close()
    finally:
        stalled.go.set()
        for p in (meter, stalled):
            p.close()
