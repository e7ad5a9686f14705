"""Result streams: :class:`ResultPublisher` publishes a processor's results as a stream of their
own on the mailman (PROTOCOL.md §9), which other processors subscribe to by name, as to audio.

The same semantics as the Java ``ResultPublisher``: records are numbered in order, continuing the
stream's numbering on the mailman (the first WELCOME's ``lastSeq + 1``); each is kept until the
mailman acknowledges it, and resent after a reconnect; the unacknowledged records are bounded by
``RECORDER_BUFFER_BYTES``, past which :meth:`ResultPublisher.publish` waits (it never drops a
record). Acknowledged records are not kept: a REPLAY is answered with none, and readers that
needed them get a NOT_AVAILABLE gap.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Deque, Optional

from . import wire
from .config import Config, PathLike
from .connection import Connection, Handler, Link
from .errors import ConfigError
from .options import client_config
from .records import content_code, float32_bytes, json_bytes, nanos

log = logging.getLogger("audiosockets.publisher")

#: How long :meth:`ResultPublisher.close` waits for the records still unacknowledged, in seconds.
DRAIN_TIMEOUT = 3.0


@dataclass(frozen=True)
class _Pending:
    """A published record; ``seq`` is local (the wire seq is the base fixed at the first WELCOME plus it)."""
    seq: int
    time_nanos: int
    duration_nanos: int
    content_type: int
    data: bytes


class ResultPublisher(Handler):
    """Publishes records to result stream ``stream`` (a name of its own, such as ``mic.vad``).

    ``ResultPublisher(stream, config_path="server_info.json", **options)``; options: ``token``,
    ``tls_fingerprint``, ``tls_ca``, ``host``, ``port``, ``logging_level``. It connects at
    :meth:`start` or at the first publish, as role 3 with a version-2 HELLO and the processors'
    token; as a context manager it starts on entry and closes on exit. Thread-safe: any thread may
    publish.
    """

    def __init__(self, stream: str, config_path: "PathLike | Config | None" = "server_info.json", *,
                 token: Optional[str] = None, tls_fingerprint: Optional[str] = None, tls_ca: Optional[str] = None,
                 host: Optional[str] = None, port: Optional[int] = None,
                 logging_level: Optional[str] = None) -> None:
        self.config = client_config(config_path, host=host, port=port, token=token, tls_fingerprint=tls_fingerprint,
                                    tls_ca=tls_ca, logging_level=logging_level)
        try:
            self.stream = wire.check_name("result stream", stream)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        self.label = f"publisher of stream '{self.stream}'"
        self.max_unacked_bytes = self.config.recorder_buffer_bytes
        self.instance_id = int.from_bytes(os.urandom(8), "big", signed=True)
        self.connection = Connection(self.label, self.config, self)
        self._lock = threading.Condition()
        # Guarded by _lock: sent and unacknowledged, then published and not sent, both in order.
        self._in_flight: Deque[_Pending] = deque()
        self._pending: Deque[_Pending] = deque()
        self._unacked_bytes = 0
        self._next_local = 0
        self._acknowledged = 0
        self._closed = False
        self._started = False
        self._seq_base = -1   # network thread

    # ------------------------------------------------------------ public
    def start(self) -> "ResultPublisher":
        """Connects in the background, and reconnects whenever the mailman is away; returns at once. Idempotent."""
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self.label} is closed")
            if self._started:
                return self
            self._started = True
        self.connection.start()
        return self

    def __enter__(self) -> "ResultPublisher":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def connected(self) -> threading.Event:
        """Set at the first WELCOME (or when the publisher stops)."""
        return self.connection.first_welcome

    @property
    def seq_base(self) -> int:
        """The wire seq of the first record published (the first WELCOME's lastSeq + 1), -1 before it."""
        return self._seq_base

    @property
    def published(self) -> int:
        """Records published so far."""
        with self._lock:
            return self._next_local

    @property
    def acknowledged(self) -> int:
        """Records the mailman has acknowledged."""
        with self._lock:
            return self._acknowledged

    def unacknowledged(self) -> int:
        """Records published and not acknowledged yet."""
        with self._lock:
            return len(self._in_flight) + len(self._pending)

    def publish_json(self, time: Any, duration: Any, value: Any, *, time_ns: Optional[int] = None,
                     duration_ns: Optional[int] = None) -> None:
        """Publishes a JSON record (an event): ``value`` is JSON text (``str``) or anything
        :func:`json.dumps` takes. ``time``: when the audio it is about begins, seconds since the
        epoch (a chunk's ``data["time"]``); ``duration``: how much audio, seconds (0 for an instant).
        ``time_ns=``/``duration_ns=`` give them exactly, in ns (e.g. ``data["time_ns"]``)."""
        self._publish(time, duration, time_ns, duration_ns, wire.CONTENT_JSON, json_bytes(self.stream, value))

    def publish_floats(self, time: Any, duration: Any, values: Any, *, time_ns: Optional[int] = None,
                       duration_ns: Optional[int] = None) -> None:
        """Publishes a FLOAT32 record (probabilities, an embedding): ``values`` (a list or an array,
        flattened) as little-endian float32. Times as for :meth:`publish_json`."""
        self._publish(time, duration, time_ns, duration_ns, wire.CONTENT_FLOAT32, float32_bytes(self.stream, values))

    def publish(self, time: Any, duration: Any, content_type: Any, data: bytes, *, time_ns: Optional[int] = None,
                duration_ns: Optional[int] = None) -> None:
        """Publishes one record of ``content_type`` ``"json"``, ``"float32"`` or ``"bytes"`` with the
        payload ``data`` as it is. Times as for :meth:`publish_json`.

        Waits while the records not yet acknowledged fill ``RECORDER_BUFFER_BYTES`` (the mailman
        away or slow); raises :class:`~audiosockets.errors.MailmanError` if the mailman refused this
        publisher (e.g. the stream carries audio), ``RuntimeError`` once it is closed."""
        code = content_code(self.stream, content_type)
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"result stream '{self.stream}': publish needs the payload as bytes, got "
                            f"{type(data).__name__}; use publish_json or publish_floats for values")
        data = bytes(data)
        if code == wire.CONTENT_FLOAT32 and len(data) % 4:
            raise ValueError(f"result stream '{self.stream}': float32 data of {len(data)} bytes is not a whole "
                             "number of floats")
        self._publish(time, duration, time_ns, duration_ns, code, data)

    def wait_acknowledged(self, timeout: float) -> bool:
        """Waits until the mailman has acknowledged every record published so far; False on timeout
        or if the publisher stopped."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._in_flight or self._pending:
                left = deadline - time.monotonic()
                if left <= 0 or self.connection.terminated.is_set():
                    return False
                self._lock.wait(min(left, 0.25))
            return True

    def close(self) -> None:
        """Stops publishing: waits up to 3 s for the mailman to acknowledge what is left, says BYE;
        what is still unacknowledged is logged. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._lock.notify_all()
        if self._started and self.unacknowledged():
            # Also while still connecting: records published just after start() are not lost to a quick close().
            self.wait_acknowledged(DRAIN_TIMEOUT)
        left = self.unacknowledged()
        if left:
            log.warning("%s: closing with %d record(s) the mailman never acknowledged", self.label, left)
        self.connection.close()

    # ------------------------------------------------------------ any thread
    def _publish(self, t: Any, d: Any, t_ns: Optional[int], d_ns: Optional[int], code: int, data: bytes) -> None:
        time_nanos = nanos("time", t, t_ns)
        duration_nanos = nanos("duration", d, d_ns)
        if duration_nanos < 0:
            raise ValueError(f"result stream '{self.stream}': duration must be >= 0, got {duration_nanos} ns")
        if 30 + len(self.stream) + len(data) > self.config.max_frame_bytes:   # the RECORD payload (§9.2)
            raise ValueError(f"result stream '{self.stream}': a record of {len(data)} bytes does not fit in "
                             f"MAX_FRAME_BYTES ({self.config.max_frame_bytes})")
        if not self._started:
            self.start()
        with self._lock:
            # The bound holds unless a single record is larger than it: that one still goes, alone.
            while (not self._closed and self.connection.failure is None and (self._in_flight or self._pending)
                   and self._unacked_bytes + len(data) > self.max_unacked_bytes):
                self._lock.wait(0.25)
            if self.connection.failure is not None:
                raise self.connection.failure
            if self._closed:
                raise RuntimeError(f"{self.label} is closed")
            self._pending.append(_Pending(self._next_local, time_nanos, duration_nanos, code, data))
            self._next_local += 1
            self._unacked_bytes += len(data)
        self.connection.wake()

    # ------------------------------------------------------------ network thread
    def hello(self) -> wire.Hello:
        # A publisher puts data into the mailman: it holds the recorders' token (PROTOCOL.md §9.2).
        return wire.Hello(wire.ROLE_PUBLISHER, self.stream, self.instance_id, self.config.recorder_secret,
                          self.config.ack_window, version=wire.MAX_VERSION)

    def on_welcome(self, link: Link, welcome: wire.Welcome, reconnect: bool) -> None:
        if self._seq_base < 0:
            self._seq_base = welcome.last_seq + 1   # continue the stream's numbering, as a recorder does
            if self._seq_base > 0:
                log.info("%s: the mailman holds this stream up to seq %d; continuing from %d", self.label,
                         welcome.last_seq, self._seq_base)
        self._rewind()   # what was in flight is sent again; the mailman drops what it already holds
        self._acknowledge(welcome.last_seq - self._seq_base)

    def pump(self, link: Link) -> None:
        if self._seq_base < 0:
            return
        base, window = self._seq_base, self.config.ack_window
        while True:
            with self._lock:
                if len(self._in_flight) >= window or not self._pending:
                    return
                r = self._pending.popleft()
                self._in_flight.append(r)
            link.send(wire.encode_record(self.stream, base + r.seq, r.time_nanos, r.duration_nanos, r.content_type,
                                         r.data))

    def on_frame(self, link: Link, frame: wire.Frame) -> None:
        if isinstance(frame, wire.Ack):
            self._acknowledge(frame.seq - self._seq_base)
        elif isinstance(frame, wire.Replay):
            # Acknowledged records are not kept: none to send again (PROTOCOL.md §5.12, §9.3).
            link.send(wire.encode_replay_answer(frame.stream, frame.to_seq + 1, 0))
            log.warning("%s: the mailman asked again for records %d..%d (it restarted?); this publisher keeps no "
                        "acknowledged records, so readers get a gap for them", self.label, frame.from_seq, frame.to_seq)
        else:
            log.debug("%s: ignoring unexpected %s from the mailman", self.label, type(frame).__name__)

    def on_disconnected(self) -> None:
        self._rewind()

    def _acknowledge(self, local_seq: int) -> None:
        with self._lock:
            for q in (self._in_flight, self._pending):
                while q and q[0].seq <= local_seq:
                    self._unacked_bytes -= len(q.popleft().data)
                    self._acknowledged += 1
            self._lock.notify_all()

    def _rewind(self) -> None:
        with self._lock:
            while self._in_flight:
                self._pending.appendleft(self._in_flight.pop())
