"""The record a processor receives from a result stream (PROTOCOL.md §9), and the conversions
between a publisher's arguments and a RECORD's fields."""
from __future__ import annotations

import json as _json
from dataclasses import dataclass
from typing import Any, Tuple

import numpy as np

from . import wire

_KEYS = ("stream", "seq", "time", "time_ns", "duration", "duration_ns", "content_type", "data", "redelivered")


@dataclass(frozen=True)
class Record:
    """One item of a result stream, as :meth:`BaseProcessorSocket.process_record` and
    :func:`audiosockets.subscribe` give it.

    ``time`` is when the audio the record is about begins, in seconds since the epoch (as
    ``data["time"]`` of a chunk; ``time_ns`` exactly), ``duration`` how much audio it is about in
    seconds (0 for an event; ``duration_ns`` exactly), ``content_type`` is ``"json"``,
    ``"float32"`` or ``"bytes"``, ``data`` the payload as published. ``record["seq"]`` works as
    for the ``data`` dict of a chunk, for loops that take both.
    """
    stream: str
    seq: int
    time_ns: int
    duration_ns: int
    content_type: str
    data: bytes
    redelivered: bool = False

    @property
    def time(self) -> float:
        """When the audio it is about begins, seconds since the epoch."""
        return self.time_ns / 1e9

    @property
    def duration(self) -> float:
        """How much audio it is about, in seconds."""
        return self.duration_ns / 1e9

    def json(self) -> Any:
        """The payload of a ``json`` record, parsed; ``ValueError`` for another kind."""
        return _json.loads(self.text())

    def text(self) -> str:
        """The payload of a ``json`` record as text; ``ValueError`` for another kind."""
        self._expect("json")
        return self.data.decode("utf-8", errors="replace")

    def floats(self) -> np.ndarray:
        """The payload of a ``float32`` record as a float32 numpy array; ``ValueError`` for another kind."""
        self._expect("float32")
        return np.frombuffer(self.data, dtype="<f4").astype(np.float32)

    def _expect(self, kind: str) -> None:
        if self.content_type != kind:
            raise ValueError(f"record {self.seq} of stream '{self.stream}' is {self.content_type}, not {kind}: "
                             f"check record.content_type before calling .{'json' if kind == 'json' else 'floats'}()")

    def __getitem__(self, key: str) -> Any:
        if key not in _KEYS:
            raise KeyError(f"{key!r}: a record has {', '.join(_KEYS)}")
        return getattr(self, key)

    def keys(self) -> Tuple[str, ...]:
        """The keys ``record[key]`` takes."""
        return _KEYS

    @staticmethod
    def of(frame: wire.RecordFrame) -> "Record":
        """The record a RECORD frame carries."""
        return Record(frame.stream, frame.seq, frame.time_nanos, frame.duration_nanos,
                      wire.CONTENT_NAMES[frame.content_type], frame.data, frame.redelivered)


def nanos(what: str, seconds: Any, exact: Any) -> int:
    """``exact`` (ns, an int) if given, else ``seconds`` (a number) in ns; ``TypeError`` naming ``what``."""
    if exact is not None:
        if isinstance(exact, bool) or not isinstance(exact, (int, np.integer)):
            raise TypeError(f"{what}_ns: expected an integer of nanoseconds, got {exact!r}")
        return int(exact)
    if seconds is None or isinstance(seconds, bool) or not isinstance(seconds, (int, float, np.number)):
        raise TypeError(f"{what}: expected seconds (a number; {what}_ns= for nanoseconds), got {seconds!r}")
    return int(round(float(seconds) * 1e9))


def json_bytes(stream: str, value: Any) -> bytes:
    """The UTF-8 JSON text of a record: a ``str`` or ``bytes`` is taken as JSON text (and checked),
    anything else is serialised with :func:`json.dumps`."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        text = bytes(value).decode("utf-8")
    elif isinstance(value, str):
        text = value
    else:
        try:
            return _json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as e:
            raise TypeError(f"result stream '{stream}': publish_json got a value JSON cannot hold: {e}") from None
    try:
        _json.loads(text)
    except ValueError as e:
        raise ValueError(f"result stream '{stream}': publish_json got text that is not JSON ({e}): {text[:60]!r}") \
            from None
    return text.encode("utf-8")


def float32_bytes(stream: str, values: Any) -> bytes:
    """Little-endian float32 bytes of ``values`` (any shape, flattened)."""
    try:
        a = np.asarray(values)
        if a.dtype.kind not in "biuf":
            raise TypeError(f"dtype {a.dtype}")
        return np.ascontiguousarray(a, dtype="<f4").ravel().tobytes()
    except (TypeError, ValueError) as e:
        raise TypeError(f"result stream '{stream}': publish_floats needs numbers (a list or a numpy array), got "
                        f"{type(values).__name__} ({e})") from None


def content_code(stream: str, content_type: Any) -> int:
    """The RECORD code of ``"json"``, ``"float32"``, ``"bytes"`` (or 1..3)."""
    if isinstance(content_type, str) and content_type.lower() in wire.CONTENT_CODES:
        return wire.CONTENT_CODES[content_type.lower()]
    if isinstance(content_type, int) and not isinstance(content_type, bool) and content_type in wire.CONTENT_NAMES:
        return content_type
    raise ValueError(f"result stream '{stream}': content_type must be 'json', 'float32' or 'bytes', got "
                     f"{content_type!r}")
