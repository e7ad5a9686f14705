"""Processors: :class:`BaseProcessorSocket` (the paper's class), its callback form, and :func:`subscribe`.

The network thread receives chunks and puts them on a queue; the chunks are processed on the
thread that called :meth:`BaseProcessorSocket.start` (or iterates :func:`subscribe`), one at a
time, in order per stream, and each is acknowledged after it has been processed. After the
first connection every HELLO carries ``positions = {stream: last processed + 1}``, so within
the life of one object no chunk is processed twice (PROTOCOL.md §5.5).

The HELLO says version 2 (PROTOCOL.md §9), so the records of result streams come the same way
and go to ``process_record``; ``protocol_version=1`` asks for audio only.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Any, Callable, Dict, Iterator, Optional, Union

from . import wire
from .chunks import data_dict
from .config import Config, PathLike
from .connection import Connection, Handler, Link
from .errors import MailmanError
from .options import client_config, start_position, stream_list
from .records import Record

log = logging.getLogger("audiosockets.processor")

_STOP = object()
Item = Union[wire.Audio, wire.RecordFrame, wire.Gap]


class _ProcessorCore(Handler):
    """The processor's side of the connection and the queue between the two threads."""

    def __init__(self, name: str, config: Config, streams: Any = None, start: Any = "resume",
                 window: Optional[int] = None, protocol_version: int = wire.MAX_VERSION) -> None:
        self.name = wire.check_name("processor name", name)
        if protocol_version not in (1, wire.MAX_VERSION):
            raise ValueError(f"protocol_version must be 1 (audio only) or {wire.MAX_VERSION} (audio and result "
                             f"streams), got {protocol_version!r}")
        self.protocol_version = protocol_version
        self.config = config
        self.subscriptions = stream_list(streams)
        self.start_mode, self.start_back_millis = start_position(start)
        self.window = int(window if window is not None else config.processor_window)
        if not 1 <= self.window <= 65535:
            raise ValueError(f"window must be 1..65535, got {self.window}")
        self.instance_id = int.from_bytes(os.urandom(8), "big", signed=True)
        self.label = f"processor '{name}'"
        self.queue: "queue.Queue[object]" = queue.Queue()
        self.done: Dict[str, int] = {}          # stream -> last seq processed (or gap taken note of)
        self._acks: Dict[str, int] = {}
        self._acks_lock = threading.Lock()
        self.connection = Connection(self.label, config, self)
        self.processed = 0
        self.records = 0
        self.redeliveries = 0
        self.gap_chunks = 0

    # ---- network thread
    def hello(self) -> wire.Hello:
        positions = {s: seq + 1 for s, seq in list(self.done.items())}
        if self.subscriptions:
            positions = {s: p for s, p in positions.items() if s in self.subscriptions}
        return wire.Hello(wire.ROLE_PROCESSOR, self.name, self.instance_id, self.config.processor_secret, self.window,
                          self.start_mode, self.start_back_millis, self.subscriptions, wire.positions_tuple(positions),
                          self.protocol_version)

    def on_frame(self, link: Link, frame: wire.Frame) -> None:
        if isinstance(frame, (wire.Audio, wire.RecordFrame, wire.Gap)):
            self.queue.put(frame)
        else:
            log.debug("%s: ignoring unexpected %s from the mailman", self.label, type(frame).__name__)

    def pump(self, link: Link) -> None:
        if not self._acks:
            return
        with self._acks_lock:
            acks, self._acks = self._acks, {}
        for stream, seq in acks.items():
            link.send(wire.encode_ack(stream, seq))

    def on_disconnected(self) -> None:
        # Undelivered chunks are dropped: the next HELLO asks for everything after the last one processed.
        with self._acks_lock:
            self._acks.clear()
        try:
            while True:
                item = self.queue.get_nowait()
                if item is _STOP:
                    self.queue.put(_STOP)
                    break
        except queue.Empty:
            pass

    # ---- processing thread
    def start(self) -> None:
        self.connection.start()

    def items(self, poll: float = 0.25) -> Iterator[Item]:
        """Chunks, records and gaps in order, never one already processed; ends at :meth:`close`,
        raises :class:`MailmanError` if the mailman refused us."""
        while True:
            try:
                item = self.queue.get(timeout=poll)
            except queue.Empty:
                if self.connection.terminated.is_set():
                    if self.connection.failure is not None:
                        raise self.connection.failure
                    return
                continue
            if item is _STOP:
                return
            if isinstance(item, wire.Gap):
                yield item
                continue
            last = self.done.get(item.stream)
            if last is not None and item.seq <= last:
                continue   # processed before a reconnect: never twice
            yield item

    def finished(self, item: Item) -> None:
        """``item`` has been processed: remember it and acknowledge it."""
        if isinstance(item, wire.Gap):
            self.gap_chunks += item.count
            stream, seq = item.stream, item.to_seq
            self.done[stream] = max(self.done.get(stream, -1), seq)
        else:
            self.processed += 1
            if isinstance(item, wire.RecordFrame):
                self.records += 1
            if item.redelivered:
                self.redeliveries += 1
            stream, seq = item.stream, item.seq
            self.done[stream] = seq
        with self._acks_lock:
            self._acks[stream] = max(self._acks.get(stream, -1), seq)
        self.connection.wake()

    def close(self) -> None:
        self.connection.close()
        self.queue.put(_STOP)


def _log_gap(label: str, gap: wire.Gap) -> None:
    log.warning("%s: stream '%s' chunks %d..%d (%d) will not arrive: %s (%s)", label, gap.stream, gap.from_seq,
                gap.to_seq, gap.count, gap.reason, gap.message)


class BaseProcessorSocket:
    """The paper's processor: subclass it, override :meth:`process_data`, call :meth:`start`.

    ``BaseProcessorSocket(name, config_path, **options)``; options: ``streams`` (a name, a list or
    ``None`` for every stream), ``start`` (``"resume"``, ``"live"``, ``"oldest"``, or seconds back:
    ``10`` or ``"10s"``), ``window``, ``protocol_version`` (2, the default: audio and result streams;
    1: audio only, never a record), ``token``, ``tls_fingerprint``, ``tls_ca``, ``host``, ``port``,
    ``logging_level``. ``config_path`` may also be a :class:`~audiosockets.config.Config` or ``None``
    (the defaults).
    """

    def __init__(self, name: str, config_path: "PathLike | Config | None" = "server_info.json", *,
                 streams: Any = None, start: Any = "resume", window: Optional[int] = None, token: Optional[str] = None,
                 tls_fingerprint: Optional[str] = None, tls_ca: Optional[str] = None, host: Optional[str] = None,
                 port: Optional[int] = None, logging_level: Optional[str] = None,
                 protocol_version: int = wire.MAX_VERSION) -> None:
        config = client_config(config_path, host=host, port=port, token=token, tls_fingerprint=tls_fingerprint,
                               tls_ca=tls_ca, logging_level=logging_level)
        self._core = _ProcessorCore(name, config, streams, start, window, protocol_version)
        self._started = False
        self._thread: Optional[threading.Thread] = None
        self.redelivered = False

    # ---- the user's side
    def process_data(self, data: Dict[str, Any]) -> None:
        """Called for every chunk with the paper's ``data`` dict (see :func:`audiosockets.chunks.data_dict`)."""
        raise NotImplementedError("override process_data(self, data) in your processor")

    def process_record(self, record: Record) -> None:
        """Called for every record of a result stream (another processor's results, PROTOCOL.md §9),
        in order per stream, interleaved with :meth:`process_data`, and acknowledged when it returns
        as a chunk is. ``record.json()``, ``record.floats()``, ``record.data`` (see
        :class:`~audiosockets.records.Record`). Does nothing by default: a processor subscribed to
        every stream acknowledges and skips the records it gets."""

    def on_gap(self, gap: wire.Gap) -> None:
        """Chunks ``gap.from_seq..gap.to_seq`` of ``gap.stream`` will never arrive (``gap.reason`` says why).
        The default logs a warning."""
        _log_gap(self._core.label, gap)

    def on_start(self) -> None:
        """Called once on the processing thread before the first chunk."""

    def on_stop(self) -> None:
        """Called once on the processing thread after the last chunk."""

    # ---- running
    @property
    def name(self) -> str:
        """The processor name the mailman knows us by."""
        return self._core.name

    @property
    def config(self) -> Config:
        """The settings in use."""
        return self._core.config

    @property
    def processed(self) -> int:
        """Chunks and records processed so far."""
        return self._core.processed

    @property
    def records_processed(self) -> int:
        """Records of result streams processed so far (included in :attr:`processed`)."""
        return self._core.records

    @property
    def connected(self) -> threading.Event:
        """Set at the first WELCOME (or when the client stops)."""
        return self._core.connection.first_welcome

    def start(self) -> None:
        """Connects and processes chunks on this thread until Ctrl-C (which says BYE and returns) or
        :meth:`close`. Raises :class:`~audiosockets.errors.MailmanError` if the mailman refuses us."""
        self._begin()
        try:
            self._loop()
        except KeyboardInterrupt:
            log.info("%s: interrupted; saying goodbye", self._core.label)
        finally:
            self._core.close()

    def start_async(self) -> "BaseProcessorSocket":
        """Like :meth:`start`, on a thread of its own; returns at once. Stop with :meth:`close`."""
        self._begin()
        self._thread = threading.Thread(target=self._loop_quietly, name=f"processor-{self.name}", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Says BYE and stops; the chunk being processed is finished first (up to 5 s)."""
        self._core.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5.0)

    def _begin(self) -> None:
        if self._started:
            raise RuntimeError(f"{self._core.label} already started")
        self._started = True
        self._core.start()

    def _loop_quietly(self) -> None:
        try:
            self._loop()
        except MailmanError:
            pass   # logged by the connection; the failure stays in self._core.connection.failure

    def _loop(self) -> None:
        core = self._core
        self._call("on_start", self.on_start)
        try:
            for item in core.items():
                if isinstance(item, wire.Gap):
                    self._call("on_gap", self.on_gap, item)
                elif isinstance(item, wire.RecordFrame):
                    self.redelivered = item.redelivered
                    if not self._call("process_record", self.process_record, Record.of(item)):
                        log.error("%s: process_record failed on stream '%s' seq %d (see above); carrying on with the "
                                  "next record", core.label, item.stream, item.seq)
                else:
                    self.redelivered = item.redelivered
                    data = data_dict(item)
                    if not self._call("process_data", self.process_data, data):
                        log.error("%s: process_data failed on stream '%s' seq %d (see above); carrying on with the "
                                  "next chunk", core.label, item.stream, item.seq)
                core.finished(item)
        finally:
            self._call("on_stop", self.on_stop)

    def _call(self, what: str, fn: Callable[..., Any], *args: Any) -> bool:
        try:
            fn(*args)
            return True
        except KeyboardInterrupt:
            raise
        except Exception:
            log.exception("%s: %s threw; carrying on", self._core.label, what)
            return False

    @classmethod
    def of(cls, name: str, config_path: "PathLike | Config | None",
           callback: Optional[Callable[[Dict[str, Any]], Any]] = None, *,
           on_record: Optional[Callable[[Record], Any]] = None, **options: Any) -> "BaseProcessorSocket":
        """The callback form: ``BaseProcessorSocket.of("meter", "server_info.json", lambda data: ...).start()``;
        ``on_record=`` takes the records of result streams (``callback`` may then be ``None``)."""
        proc = _CallbackProcessor(name, config_path, **options)
        proc._callback = callback
        proc._on_record = on_record
        return proc


class _CallbackProcessor(BaseProcessorSocket):
    _callback: Optional[Callable[[Dict[str, Any]], Any]]
    _on_record: Optional[Callable[[Record], Any]]

    def process_data(self, data: Dict[str, Any]) -> None:
        if self._callback is None:
            raise TypeError(f"{self._core.label} got a chunk of stream '{data['stream']}' but has no callback for "
                            "audio: pass one to BaseProcessorSocket.of(name, config, callback, on_record=...)")
        self._callback(data)

    def process_record(self, record: Record) -> None:
        if self._on_record is not None:
            self._on_record(record)


def subscribe(config_path: "PathLike | Config | None" = "server_info.json", stream: Any = None, *,
              name: Optional[str] = None, start: Any = None, on_gap: Optional[Callable[[wire.Gap], Any]] = None,
              **options: Any) -> Iterator[Union[Dict[str, Any], Record]]:
    """The pull form: ``for data in audiosockets.subscribe("server_info.json", stream="mic"): ...``.

    Yields the ``data`` dict of every chunk of ``stream`` (a name, names, or ``None`` for every
    stream), and a :class:`~audiosockets.records.Record` for every record of a result stream
    (``isinstance(item, audiosockets.Record)`` tells them apart; ``item["seq"]`` works on both;
    ``protocol_version=1`` gives chunks only). An item is acknowledged when the next one is asked
    for. ``name`` defaults to ``py-PID`` and ``start`` to ``"live"`` (``"resume"`` when a name is
    given). Gaps go to ``on_gap`` (default: a warning in the log). Breaking out of the loop says BYE.
    """
    config = client_config(config_path, **{k: options.pop(k) for k in list(options)
                                            if k in ("host", "port", "token", "tls_fingerprint", "tls_ca",
                                                     "logging_level")})
    if start is None:
        start = "resume" if name else "live"
    core = _ProcessorCore(name or f"py-{os.getpid()}", config, stream, start, options.pop("window", None),
                          options.pop("protocol_version", wire.MAX_VERSION))
    if options:
        raise TypeError(f"subscribe() got unknown options: {', '.join(sorted(options))}")
    core.start()
    try:
        for item in core.items():
            if isinstance(item, wire.Gap):
                (on_gap or (lambda g: _log_gap(core.label, g)))(item)
            elif isinstance(item, wire.RecordFrame):
                yield Record.of(item)
            else:
                yield data_dict(item)
            core.finished(item)
    finally:
        core.close()
