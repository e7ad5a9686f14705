"""The paper's recorder: ``RecorderSocket(config_path, source=None, **options).start()``.

A capture thread reads the source in chunks of ``period`` seconds and hands them to a bounded
buffer; the network thread sends what the window (``ACK_WINDOW``) allows and forgets a chunk once
an ACK covers it. Numbering starts at the first WELCOME's ``lastSeq + 1`` and continues across
reconnects; after a reconnect the unacknowledged chunks are resent in order, and a REPLAY is
answered from the acknowledged chunks still held (PROTOCOL.md §5.3, §5.12).
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any, Optional

from . import wire
from .config import Config, PathLike
from .connection import Connection, Handler, Link
from .errors import ConfigError
from .options import client_config
from .recorder_buffer import Chunk, RecorderBuffer
from .sources import Source, open_source

log = logging.getLogger("audiosockets.recorder")

DRAIN_TIMEOUT = 3.0


class RecorderSocket(Handler):
    """Streams a source to the mailman as one stream.

    ``source``: ``None`` (the default microphone, through ``sounddevice``), a WAV file path,
    ``"stdin"`` (raw PCM: give ``samplerate``, ``channels``, ``sample_format``), a numpy array
    (give ``samplerate``), or an iterable of arrays. Options: ``stream`` (default ``"default"``),
    ``period`` (seconds per chunk, default 0.5 as in the paper), ``realtime`` (pace files and
    arrays at real time; default True for them), ``samplerate``, ``channels``, ``sample_format``
    (``"s16"``/``"f32"``), ``device``, ``token``, ``tls_fingerprint``, ``tls_ca``, ``host``,
    ``port``, ``logging_level``.
    """

    def __init__(self, config_path: "PathLike | Config | None" = "server_info.json", source: Any = None, *,
                 stream: str = "default", period: float = 0.5, samplerate: Optional[int] = None,
                 channels: Optional[int] = None, sample_format: Optional[str] = None, realtime: Optional[bool] = None,
                 device: Any = None, token: Optional[str] = None, tls_fingerprint: Optional[str] = None,
                 tls_ca: Optional[str] = None, host: Optional[str] = None, port: Optional[int] = None,
                 logging_level: Optional[str] = None) -> None:
        self.config = client_config(config_path, host=host, port=port, token=token, tls_fingerprint=tls_fingerprint,
                                    tls_ca=tls_ca, logging_level=logging_level)
        try:
            self.stream = wire.check_name("stream", stream)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        if not period or period <= 0:
            raise ConfigError(f"period: expected seconds > 0, got {period!r}")
        self.source: Source = open_source(source, samplerate=samplerate, channels=channels,
                                          sample_format=sample_format, realtime=realtime, device=device)
        self.period = float(period)
        self.period_frames = max(1, int(round(self.source.sample_rate * self.period)))
        chunk_bytes = self.period_frames * self.source.frame_bytes
        if chunk_bytes + 256 > self.config.max_frame_bytes:
            raise ConfigError(f"a chunk of {self.period:g} s of {self.source.describe()} is {chunk_bytes} bytes, more "
                              f"than MAX_FRAME_BYTES ({self.config.max_frame_bytes}): use a shorter period or raise "
                              "MAX_FRAME_BYTES on both sides")
        self.label = f"recorder of stream '{self.stream}'"
        self.buffer = RecorderBuffer(max(self.config.recorder_buffer_seconds, self.period),
                                     self.config.recorder_buffer_bytes)
        self.instance_id = int.from_bytes(os.urandom(8), "big", signed=True)
        self.connection = Connection(self.label, self.config, self)
        self.capture_ended = threading.Event()
        self.capture_error: Optional[BaseException] = None
        self._stopping = threading.Event()
        self._seq_base = -1
        self._capture: Optional[threading.Thread] = None
        self.chunks_captured = 0
        self.chunks_sent = 0
        self.chunks_acknowledged = 0

    # ------------------------------------------------------------ public
    @property
    def connected(self) -> threading.Event:
        """Set at the first WELCOME (or when the client stops)."""
        return self.connection.first_welcome

    @property
    def seq_base(self) -> int:
        """The wire seq of local chunk 0 (the first WELCOME's lastSeq + 1), -1 before it."""
        return self._seq_base

    @property
    def chunks_dropped(self) -> int:
        """Unacknowledged chunks a live source had to drop because the buffer was full."""
        return self.buffer.dropped

    def start(self) -> None:
        """Streams until the source ends and the mailman has acknowledged everything (a file, an
        array), or until Ctrl-C (a microphone). Raises :class:`~audiosockets.errors.MailmanError` if
        the mailman refuses us."""
        self.start_async()
        try:
            while not (self.capture_ended.is_set() or self.connection.terminated.is_set()):
                self.capture_ended.wait(0.25)
            if self.capture_ended.is_set() and not self._stopping.is_set() and self.capture_error is None:
                self.wait_delivered(self.config.recorder_buffer_seconds)
        except KeyboardInterrupt:
            log.info("%s: interrupted; saying goodbye", self.label)
        finally:
            self.close()
        if self.connection.failure is not None:
            raise self.connection.failure
        if self.capture_error is not None:
            raise self.capture_error

    def start_async(self) -> "RecorderSocket":
        """Starts capturing and sending in the background; returns at once."""
        if self._capture is not None:
            raise RuntimeError(f"{self.label} already started")
        log.info("%s: capturing %s in chunks of %g s", self.label, self.source.describe(), self.period)
        self.connection.start()
        self._capture = threading.Thread(target=self._capture_loop, name=f"capture-{self.stream}", daemon=True)
        self._capture.start()
        return self

    def wait_delivered(self, timeout: float) -> bool:
        """Waits until the mailman has acknowledged every chunk captured so far."""
        if self.buffer.unacknowledged():
            log.info("%s: source ended; waiting up to %g s for the mailman to acknowledge the last %d chunk(s)",
                     self.label, timeout, self.buffer.unacknowledged())
        return self.buffer.wait_acknowledged(timeout, self.connection.terminated.is_set)

    def close(self) -> None:
        """Stops capture, gives the mailman up to 3 s to acknowledge what is left, says BYE."""
        self._stopping.set()
        self.source.close()
        if self._capture is not None and self._capture is not threading.current_thread():
            self._capture.join(DRAIN_TIMEOUT)
        if self.buffer.unacknowledged() and self.connection.welcomed:
            self.connection.wake()
            self.buffer.wait_acknowledged(DRAIN_TIMEOUT, self.connection.terminated.is_set)
        left = self.buffer.unacknowledged()
        if left and self._capture is not None:
            log.warning("%s: closing with %d chunk(s) the mailman never acknowledged", self.label, left)
        self.connection.close()

    # ------------------------------------------------------------ capture thread
    def _capture_loop(self) -> None:
        src = self.source
        rate, fb = src.sample_rate, src.frame_bytes
        t0_mono = time.monotonic()
        t0_ns = time.time_ns()
        frames_before = 0
        seq = 0
        try:
            while not self._stopping.is_set():
                data = src.read(self.period_frames)
                if not data:
                    break
                frames = len(data) // fb
                if src.paced:
                    # A file stands in for a microphone: its chunk is "captured" once its last sample is.
                    due = t0_mono + (frames_before + frames) / rate
                    if self._stopping.wait(max(0.0, due - time.monotonic())):
                        break
                chunk = Chunk(seq, t0_ns + (frames_before * 1_000_000_000) // rate, frames, data, frames / rate)
                if src.live:
                    lost = self.buffer.offer(chunk)
                    if lost:
                        log.warning("%s: buffer full (RECORDER_BUFFER_SECONDS = %g, RECORDER_BUFFER_BYTES = %d) while "
                                    "the mailman is away: dropped the %d oldest unacknowledged chunk(s), %d so far; "
                                    "processors will see a gap", self.label, self.config.recorder_buffer_seconds,
                                    self.config.recorder_buffer_bytes, lost, self.buffer.dropped)
                elif not self.buffer.offer_waiting(chunk, self._stopping.is_set):
                    break
                self.chunks_captured += 1
                seq += 1
                frames_before += frames
                self.connection.wake()
        except BaseException as e:  # reported by start()
            self.capture_error = e
            log.error("%s: capture failed after %d chunks: %s", self.label, self.chunks_captured, e)
        finally:
            log.info("%s: capture ended after %d chunks (%s)", self.label, self.chunks_captured,
                     "stopped" if self._stopping.is_set() else "end of source")
            self.capture_ended.set()

    # ------------------------------------------------------------ network thread
    def hello(self) -> wire.Hello:
        return wire.Hello(wire.ROLE_RECORDER, self.stream, self.instance_id, self.config.recorder_secret,
                          self.config.ack_window)

    def on_welcome(self, link: Link, welcome: wire.Welcome, reconnect: bool) -> None:
        if self._seq_base < 0:
            self._seq_base = welcome.last_seq + 1
            if self._seq_base > 0:
                log.info("%s: the mailman holds this stream up to seq %d; continuing from %d", self.label,
                         welcome.last_seq, self._seq_base)
        else:
            self.buffer.rewind()
            self.chunks_acknowledged += self.buffer.acknowledge(welcome.last_seq - self._seq_base)
            if self.buffer.unacknowledged():
                log.info("%s: resending %d unacknowledged chunk(s)", self.label, self.buffer.unacknowledged())

    def pump(self, link: Link) -> None:
        if self._seq_base < 0:
            return
        src, base, window = self.source, self._seq_base, self.config.ack_window
        while True:
            c = self.buffer.next_to_send(window)
            if c is None:
                return
            link.send(wire.encode_audio(self.stream, base + c.seq, c.capture_time_nanos, src.sample_rate, src.channels,
                                        src.format, c.frames, c.samples))
            self.chunks_sent += 1

    def on_frame(self, link: Link, frame: wire.Frame) -> None:
        if isinstance(frame, wire.Ack):
            self.chunks_acknowledged += self.buffer.acknowledge(frame.seq - self._seq_base)
        elif isinstance(frame, wire.Replay):
            self._replay(link, frame)
        else:
            log.debug("%s: ignoring unexpected %s from the mailman", self.label, type(frame).__name__)

    def _replay(self, link: Link, r: wire.Replay) -> None:
        if r.stream != self.stream or self._seq_base < 0:
            log.warning("%s: the mailman asked to replay stream '%s'; answering with nothing", self.label, r.stream)
            link.send(wire.encode_replay_answer(r.stream, r.to_seq + 1, 0))
            return
        base, src = self._seq_base, self.source
        chunks = self.buffer.replay(r.from_seq - base, r.to_seq - base)
        first = base + chunks[0].seq if chunks else r.to_seq + 1
        # The answer and its frames back to back: nothing else may come between them (§4.11).
        link.send(wire.encode_replay_answer(self.stream, first, len(chunks)))
        for c in chunks:
            link.send(wire.encode_audio(self.stream, base + c.seq, c.capture_time_nanos, src.sample_rate, src.channels,
                                        src.format, c.frames, c.samples))
        if first > r.from_seq:
            log.warning("%s: the mailman asked again for chunks %d..%d (it lost them, probably in a restart); %d of them "
                        "are no longer in this recorder's buffer: processors will see a gap", self.label, r.from_seq,
                        r.to_seq, min(first, r.to_seq + 1) - r.from_seq)
        if chunks:
            log.info("%s: replayed %d chunk(s), %d..%d, that the mailman lost", self.label, len(chunks), first,
                     base + chunks[-1].seq)

    def on_disconnected(self) -> None:
        self.buffer.rewind()
