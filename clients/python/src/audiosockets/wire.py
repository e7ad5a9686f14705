"""The wire codec of PROTOCOL.md, versions 1 and 2: frames, strings, big-endian fields.

Every multi-byte field is big-endian; audio samples are little-endian and are carried as the
raw bytes the recorder captured (PROTOCOL.md §1). Encoders return ``bytes`` ready to write;
:class:`FrameReader` cuts a byte stream into decoded frames, making the receiver checks of
PROTOCOL.md §2 in their order.

Versions (PROTOCOL.md §7): a HELLO carries the highest version its client speaks (2 for this
client, 1 on request); every other frame carries the version that introduced its type (1 for
types 1..11, 2 for RECORD). A receiver accepts any version byte from its frame type's version up
to 2.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import List, Mapping, Optional, Tuple, Union

MAGIC = 0x4153
#: The version of frame types 1..11; RECORD is version 2 (:data:`FRAME_VERSION`).
VERSION = 1
#: The highest protocol version this client speaks (PROTOCOL.md §7).
MAX_VERSION = 2
DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024

# Frame types (PROTOCOL.md §4).
HELLO, WELCOME, ERROR, AUDIO, ACK, GAP, BYE, PING, PONG, REPLAY, REPLAY_ANSWER, RECORD = range(1, 13)
FRAME_NAMES = {1: "HELLO", 2: "WELCOME", 3: "ERROR", 4: "AUDIO", 5: "ACK", 6: "GAP", 7: "BYE", 8: "PING",
               9: "PONG", 10: "REPLAY", 11: "REPLAY_ANSWER", 12: "RECORD"}
#: The version that introduced each frame type, and the version byte it is sent with (HELLO aside).
FRAME_VERSION = {t: (2 if t == RECORD else 1) for t in FRAME_NAMES}

ROLE_RECORDER, ROLE_PROCESSOR, ROLE_PUBLISHER = 1, 2, 3
START_RESUME, START_LIVE, START_OLDEST, START_SECONDS_BACK = 0, 1, 2, 3
FORMAT_S16, FORMAT_F32 = 1, 2
FORMAT_NAMES = {FORMAT_S16: "s16", FORMAT_F32: "f32"}
BYTES_PER_SAMPLE = {FORMAT_S16: 2, FORMAT_F32: 4}
FLAG_REDELIVERY = 0x01

# RECORD content types (PROTOCOL.md §9.2).
CONTENT_JSON, CONTENT_FLOAT32, CONTENT_BYTES = 1, 2, 3
CONTENT_NAMES = {CONTENT_JSON: "json", CONTENT_FLOAT32: "float32", CONTENT_BYTES: "bytes"}
CONTENT_CODES = {v: k for k, v in CONTENT_NAMES.items()}

# Error codes (PROTOCOL.md §4.3); unknown codes read as INTERNAL.
ERROR_NAMES = {1: "MALFORMED_FRAME", 2: "UNSUPPORTED_VERSION", 3: "FRAME_TOO_LARGE", 4: "UNKNOWN_ROLE",
               5: "HANDSHAKE_REQUIRED", 6: "NAME_IN_USE", 7: "INVALID_NAME", 8: "AUTH_FAILED",
               9: "BAD_DISCONNECT_MSG", 10: "UNEXPECTED_FRAME", 11: "SHUTTING_DOWN", 12: "HANDSHAKE_TIMEOUT",
               13: "INTERNAL", 14: "REPLACED", 15: "INVALID_VALUE", 16: "LIMIT_REACHED"}
MALFORMED_FRAME, UNSUPPORTED_VERSION, FRAME_TOO_LARGE = 1, 2, 3
HANDSHAKE_REQUIRED, NAME_IN_USE, INTERNAL = 5, 6, 13
#: Codes after which retrying unchanged fails again (PROTOCOL.md §5.11), NAME_IN_USE aside.
CLIENT_FAULT = frozenset({1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 15})

# Gap reasons (PROTOCOL.md §4.6); unknown reasons read as UNKNOWN.
GAP_REASONS = {1: "RETENTION_EXCEEDED", 2: "SOURCE_SKIPPED", 3: "NOT_AVAILABLE", 255: "UNKNOWN"}

NAME_RULE = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")

HEADER = struct.Struct(">HBBI")
_U16 = struct.Struct(">H")
_I64 = struct.Struct(">q")
_AUDIO_TAIL = struct.Struct(">qqiHBBI")   # seq, captureTimeNanos, sampleRate, channels, format, flags, frames
_WELCOME_TAIL = struct.Struct(">qiiq")    # sessionId, maxFrameBytes, heartbeatMillis, lastSeq
_HELLO_MID = struct.Struct(">HBqH")      # window, startMode, startBackMillis, subscriptionCount
_RANGE = struct.Struct(">qq")
_RECORD_TAIL = struct.Struct(">qqqBB")   # seq, timeNanos, durationNanos, contentType, flags


class ProtocolError(Exception):
    """The peer broke PROTOCOL.md; ``code`` is the ERROR code a receiver answers with."""

    def __init__(self, code: int, message: str, first_byte: Optional[int] = None) -> None:
        super().__init__(message)
        self.code = code
        self.first_byte = first_byte


# ------------------------------------------------------------------ values
@dataclass(frozen=True)
class Welcome:
    """WELCOME (§4.2)."""
    server: str
    session_id: int
    max_frame_bytes: int
    heartbeat_millis: int
    last_seq: int


@dataclass(frozen=True)
class ErrorFrame:
    """ERROR (§4.3): ``name`` is the code's name, INTERNAL for an unknown code."""
    code: int
    message: str

    @property
    def name(self) -> str:
        return ERROR_NAMES.get(self.code, "INTERNAL")


@dataclass(frozen=True)
class Audio:
    """AUDIO (§4.4); ``samples`` are the little-endian bytes as captured."""
    stream: str
    seq: int
    capture_time_nanos: int
    sample_rate: int
    channels: int
    format: int
    flags: int
    frames: int
    samples: bytes

    @property
    def redelivered(self) -> bool:
        return bool(self.flags & FLAG_REDELIVERY)


@dataclass(frozen=True)
class RecordFrame:
    """RECORD (§9.2, version 2): one item of a result stream; ``data`` is the payload as sent."""
    stream: str
    seq: int
    time_nanos: int
    duration_nanos: int
    content_type: int
    flags: int
    data: bytes

    @property
    def redelivered(self) -> bool:
        return bool(self.flags & FLAG_REDELIVERY)


@dataclass(frozen=True)
class Ack:
    """ACK (§4.5), cumulative."""
    stream: str
    seq: int


@dataclass(frozen=True)
class Gap:
    """GAP (§4.6): chunks ``from_seq..to_seq`` (inclusive) of ``stream`` will never be delivered."""
    stream: str
    from_seq: int
    to_seq: int
    reason_code: int
    message: str

    @property
    def reason(self) -> str:
        return GAP_REASONS.get(self.reason_code, "UNKNOWN")

    @property
    def count(self) -> int:
        return self.to_seq - self.from_seq + 1


@dataclass(frozen=True)
class Bye:
    """BYE (§4.7)."""
    message: str


@dataclass(frozen=True)
class Ping:
    """PING (§4.8)."""
    nonce: int


@dataclass(frozen=True)
class Pong:
    """PONG (§4.9)."""
    nonce: int


@dataclass(frozen=True)
class Replay:
    """REPLAY (§4.10): the mailman asks a recorder for ``from_seq..to_seq`` again."""
    stream: str
    from_seq: int
    to_seq: int


@dataclass(frozen=True)
class ReplayAnswer:
    """REPLAY_ANSWER (§4.11)."""
    stream: str
    from_seq: int
    count: int


@dataclass(frozen=True)
class Hello:
    """HELLO (§4.1)."""
    role: int
    name: str
    instance_id: int
    token: str = ""
    window: int = 64
    start_mode: int = START_RESUME
    start_back_millis: int = 0
    subscriptions: Tuple[str, ...] = ()
    positions: Tuple[Tuple[str, int], ...] = ()
    #: The header's version byte: the highest version the client speaks (§7).
    version: int = VERSION


Frame = Union[Hello, Welcome, ErrorFrame, Audio, RecordFrame, Ack, Gap, Bye, Ping, Pong, Replay, ReplayAnswer]


# ------------------------------------------------------------------ encoding
def string(text: str) -> bytes:
    """A u16 byte count, then the UTF-8 bytes."""
    b = text.encode("utf-8")
    if len(b) > 0xFFFF:
        raise ValueError(f"string of {len(b)} UTF-8 bytes is longer than 65535: {text[:40]!r}...")
    return _U16.pack(len(b)) + b


def frame(ftype: int, payload: bytes = b"", version: Optional[int] = None) -> bytes:
    """The 8-byte header followed by ``payload``; the version byte is the type's own (§7) unless given."""
    return HEADER.pack(MAGIC, FRAME_VERSION.get(ftype, VERSION) if version is None else version, ftype,
                       len(payload)) + payload


def encode_hello(h: Hello) -> bytes:
    """A HELLO frame."""
    parts = [bytes([h.role]), string(h.name), _I64.pack(h.instance_id), string(h.token),
             _HELLO_MID.pack(h.window, h.start_mode, h.start_back_millis, len(h.subscriptions))]
    parts.extend(string(s) for s in h.subscriptions)
    parts.append(_U16.pack(len(h.positions)))
    for stream, seq in h.positions:
        parts.append(string(stream) + _I64.pack(seq))
    return frame(HELLO, b"".join(parts), h.version)


def encode_audio(stream: str, seq: int, capture_time_nanos: int, sample_rate: int, channels: int, fmt: int,
                 frames: int, samples: bytes, flags: int = 0) -> bytes:
    """An AUDIO frame; ``samples`` are little-endian and ``frames * channels`` samples long."""
    payload = string(stream) + _AUDIO_TAIL.pack(seq, capture_time_nanos, sample_rate, channels, fmt, flags, frames)
    return frame(AUDIO, payload + samples)


def encode_record(stream: str, seq: int, time_nanos: int, duration_nanos: int, content_type: int, data: bytes,
                  flags: int = 0) -> bytes:
    """A RECORD frame (version 2); refuses what a receiver would refuse (§9.2) with ``ValueError``."""
    if seq < 0 or duration_nanos < 0:
        raise ValueError(f"RECORD of stream '{stream}': seq {seq} and durationNanos {duration_nanos} must be >= 0")
    if content_type not in CONTENT_NAMES:
        raise ValueError(f"RECORD of stream '{stream}': contentType {content_type} is not 1 (json), 2 (float32) or "
                         "3 (bytes)")
    if content_type == CONTENT_FLOAT32 and len(data) % 4:
        raise ValueError(f"RECORD of stream '{stream}': float32 data of {len(data)} bytes is not a whole number of "
                         "floats")
    payload = string(stream) + _RECORD_TAIL.pack(seq, time_nanos, duration_nanos, content_type, flags)
    return frame(RECORD, payload + bytes(data))


def encode_ack(stream: str, seq: int) -> bytes:
    """An ACK frame."""
    return frame(ACK, string(stream) + _I64.pack(seq))


def encode_bye(message: str) -> bytes:
    """A BYE frame."""
    return frame(BYE, string(message))


def encode_ping(nonce: int) -> bytes:
    """A PING frame."""
    return frame(PING, _I64.pack(nonce))


def encode_pong(nonce: int) -> bytes:
    """A PONG frame."""
    return frame(PONG, _I64.pack(nonce))


def encode_error(code: int, message: str) -> bytes:
    """An ERROR frame."""
    return frame(ERROR, _U16.pack(code) + string(message))


def encode_replay_answer(stream: str, from_seq: int, count: int) -> bytes:
    """A REPLAY_ANSWER frame."""
    return frame(REPLAY_ANSWER, string(stream) + _RANGE.pack(from_seq, count))


# ------------------------------------------------------------------ decoding
class _Payload:
    """A cursor over one payload; every read checks that the bytes are there."""

    __slots__ = ("buf", "at", "end", "what")

    def __init__(self, buf: memoryview, what: str) -> None:
        self.buf, self.at, self.end, self.what = buf, 0, len(buf), what

    def need(self, n: int) -> None:
        if self.at + n > self.end:
            raise ProtocolError(MALFORMED_FRAME, f"{self.what} payload cut short at byte {self.at}")

    def u8(self) -> int:
        self.need(1)
        v = self.buf[self.at]
        self.at += 1
        return v

    def unpack(self, s: struct.Struct) -> tuple:
        self.need(s.size)
        v = s.unpack_from(self.buf, self.at)
        self.at += s.size
        return v

    def string(self) -> str:
        (n,) = self.unpack(_U16)
        self.need(n)
        text = bytes(self.buf[self.at:self.at + n]).decode("utf-8", errors="replace")
        self.at += n
        return text

    def rest(self) -> bytes:
        b = bytes(self.buf[self.at:self.end])
        self.at = self.end
        return b

    def done(self) -> None:
        if self.at != self.end:
            raise ProtocolError(MALFORMED_FRAME, f"{self.what} payload has {self.end - self.at} bytes left over")


def _nonneg(what: str, **values: int) -> None:
    for k, v in values.items():
        if v < 0:
            raise ProtocolError(MALFORMED_FRAME, f"{what} {k} {v} < 0")


def decode(ftype: int, payload: memoryview, version: int = VERSION) -> Frame:
    """Decodes one payload of type ``ftype`` (``version``: the header's, kept by HELLO); raises
    :class:`ProtocolError` if it does not parse."""
    p = _Payload(payload, FRAME_NAMES.get(ftype, str(ftype)))
    result: Frame
    if ftype == RECORD:
        stream = p.string()
        seq, t, duration, ctype, flags = p.unpack(_RECORD_TAIL)
        if seq < 0 or duration < 0 or ctype not in CONTENT_NAMES:
            raise ProtocolError(MALFORMED_FRAME, f"RECORD of stream '{stream}' with seq {seq}, durationNanos {duration}, "
                                f"contentType {ctype}")
        data = p.rest()
        if ctype == CONTENT_FLOAT32 and len(data) % 4:
            raise ProtocolError(MALFORMED_FRAME, f"RECORD of stream '{stream}' seq {seq} is FLOAT32 but carries "
                                f"{len(data)} bytes, not a whole number of floats")
        return RecordFrame(stream, seq, t, duration, ctype, flags, data)
    if ftype == AUDIO:
        stream = p.string()
        seq, t, rate, channels, fmt, flags, frames = p.unpack(_AUDIO_TAIL)
        if seq < 0 or rate <= 0 or channels == 0 or fmt not in BYTES_PER_SAMPLE:
            raise ProtocolError(MALFORMED_FRAME, f"AUDIO with seq {seq}, rate {rate}, channels {channels}, format {fmt}")
        samples = p.rest()
        if len(samples) != frames * channels * BYTES_PER_SAMPLE[fmt]:
            raise ProtocolError(MALFORMED_FRAME, f"AUDIO announces {frames} frames but carries {len(samples)} bytes")
        return Audio(stream, seq, t, rate, channels, fmt, flags, frames, samples)
    if ftype == ACK:
        stream = p.string()
        (seq,) = p.unpack(_I64)
        _nonneg("ACK", seq=seq)
        result = Ack(stream, seq)
    elif ftype == GAP:
        stream = p.string()
        first, last = p.unpack(_RANGE)
        reason = p.u8()
        message = p.string()
        if first < 0 or last < first:
            raise ProtocolError(MALFORMED_FRAME, f"GAP range {first}..{last}")
        result = Gap(stream, first, last, reason, message)
    elif ftype == WELCOME:
        server = p.string()
        session, max_frame, heartbeat, last_seq = p.unpack(_WELCOME_TAIL)
        if max_frame <= 0 or heartbeat < 0:
            raise ProtocolError(MALFORMED_FRAME, f"WELCOME with maxFrameBytes {max_frame}, heartbeatMillis {heartbeat}")
        result = Welcome(server, session, max_frame, heartbeat, last_seq)
    elif ftype == ERROR:
        (code,) = p.unpack(_U16)
        result = ErrorFrame(code, p.string())
    elif ftype == BYE:
        result = Bye(p.string())
    elif ftype == PING:
        result = Ping(p.unpack(_I64)[0])
    elif ftype == PONG:
        result = Pong(p.unpack(_I64)[0])
    elif ftype == REPLAY:
        stream = p.string()
        first, last = p.unpack(_RANGE)
        if first < 0 or last < first:
            raise ProtocolError(MALFORMED_FRAME, f"REPLAY range {first}..{last}")
        result = Replay(stream, first, last)
    elif ftype == REPLAY_ANSWER:
        stream = p.string()
        first, count = p.unpack(_RANGE)
        _nonneg("REPLAY_ANSWER", fromSeq=first, count=count)
        result = ReplayAnswer(stream, first, count)
    elif ftype == HELLO:
        result = _decode_hello(p, version)
    else:
        raise ProtocolError(MALFORMED_FRAME, f"unknown frame type {ftype}")
    p.done()
    return result


def _decode_hello(p: _Payload, version: int) -> Hello:
    role = p.u8()
    name = p.string()
    (instance,) = p.unpack(_I64)
    token = p.string()
    window, mode, back, nsubs = p.unpack(_HELLO_MID)
    if mode > 3 or back < 0:
        raise ProtocolError(MALFORMED_FRAME, f"HELLO startMode {mode}, startBackMillis {back}")
    subs = tuple(p.string() for _ in range(nsubs))
    (npos,) = p.unpack(_U16)
    positions = []
    for _ in range(npos):
        stream = p.string()
        (seq,) = p.unpack(_I64)
        positions.append((stream, seq))
    return Hello(role, name, instance, token, window, mode, back, subs, tuple(positions), version)


class FrameReader:
    """Cuts received bytes into frames, with the receiver checks of PROTOCOL.md §2 in order.

    ``feed`` returns the frames completed by the bytes given; a broken frame raises
    :class:`ProtocolError` as soon as the offending byte is there.
    """

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        self.max_frame_bytes = max_frame_bytes
        self._buf = bytearray()

    def feed(self, data: bytes) -> List[Frame]:
        buf = self._buf
        buf += data
        out: List[Frame] = []
        at, n = 0, len(buf)
        view = memoryview(buf)
        try:
            while n - at >= 1:
                if buf[at] != 0x41 or (n - at >= 2 and buf[at + 1] != 0x53):
                    raise ProtocolError(MALFORMED_FRAME, "not an audiosockets frame: it starts with "
                                        + bytes(buf[at:at + 16]).hex(" ") + f" {bytes(buf[at:at + 16])!r}", buf[at])
                if n - at < 8:
                    break
                _, version, ftype, length = HEADER.unpack_from(buf, at)
                if not VERSION <= version <= MAX_VERSION:
                    raise ProtocolError(UNSUPPORTED_VERSION, f"frame of version {version}; this client speaks versions "
                                        f"{VERSION} to {MAX_VERSION}")
                if length > self.max_frame_bytes:
                    raise ProtocolError(FRAME_TOO_LARGE, f"frame of {length} bytes announced, more than "
                                        f"MAX_FRAME_BYTES ({self.max_frame_bytes})")
                if ftype not in FRAME_NAMES:
                    raise ProtocolError(MALFORMED_FRAME, f"unknown frame type {ftype}")
                if version < FRAME_VERSION[ftype]:
                    raise ProtocolError(MALFORMED_FRAME, f"{FRAME_NAMES[ftype]} frames exist from protocol version "
                                        f"{FRAME_VERSION[ftype]}; this one's header says version {version}")
                if n - at - 8 < length:
                    break
                out.append(decode(ftype, view[at + 8:at + 8 + length], version))
                at += 8 + length
        finally:
            view.release()
        if at:
            del buf[:at]
        return out


def check_name(what: str, name: str) -> str:
    """``name`` if it matches the name rule of PROTOCOL.md §3, else ``ValueError`` naming ``what``."""
    if not isinstance(name, str) or not NAME_RULE.match(name):
        raise ValueError(f"{what} {name!r} is not a valid name: use 1 to 64 of A-Z a-z 0-9 . _ -")
    return name


def positions_tuple(positions: Mapping[str, int]) -> Tuple[Tuple[str, int], ...]:
    """Sorted (stream, seq) pairs, for a stable HELLO."""
    return tuple(sorted(positions.items()))


__all__ = [n for n in dir() if not n.startswith("_")]
