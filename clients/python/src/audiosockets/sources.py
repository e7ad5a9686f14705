"""Audio sources for :class:`~audiosockets.recorder.RecorderSocket`: a WAV file, a numpy array, an
iterator of arrays, raw PCM from a binary stream (stdin), or a microphone through ``sounddevice``.

A source gives little-endian sample bytes, ``frames`` at a time, in one of the wire formats
(16-bit PCM or 32-bit float).
"""
from __future__ import annotations

import io
import os
import queue
import struct
import sys
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Optional, Tuple

import numpy as np

from . import wire
from .errors import ConfigError


class Source:
    """``read(frames)`` returns up to ``frames`` frames of sample bytes, ``b""`` at the end."""
    sample_rate: int
    channels: int
    format: int
    #: A live source (a microphone) never waits for the network; a finite one is back-pressured.
    live: bool = False
    #: Paced at real time (a file standing in for a microphone).
    paced: bool = False

    @property
    def frame_bytes(self) -> int:
        return self.channels * wire.BYTES_PER_SAMPLE[self.format]

    def read(self, frames: int) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        """Stops the source; a blocked ``read`` returns."""

    def describe(self) -> str:
        return f"{self.sample_rate} Hz, {self.channels} ch, {wire.FORMAT_NAMES[self.format]}"


def _as_wire(a: np.ndarray, what: str) -> Tuple[bytes, int, int]:
    """(little-endian bytes, channels, format) of a (frames,) or (frames, channels) array."""
    a = np.asarray(a)
    if a.ndim == 1:
        channels = 1
    elif a.ndim == 2:
        channels = a.shape[1]
    else:
        raise ConfigError(f"{what}: expected an array of shape (frames,) or (frames, channels), got shape {a.shape}")
    if channels < 1:
        raise ConfigError(f"{what}: an array with 0 channels")
    if a.dtype == np.int16:
        return a.astype("<i2", copy=False).tobytes(), channels, wire.FORMAT_S16
    if a.dtype.kind == "f":
        return a.astype("<f4", copy=False).tobytes(), channels, wire.FORMAT_F32
    raise ConfigError(f"{what}: samples of dtype {a.dtype} are not supported: give int16 or float32/float64 samples")


class ArraySource(Source):
    """A whole numpy array, paced at real time unless ``realtime=False``."""

    def __init__(self, array: np.ndarray, sample_rate: int, realtime: bool = True) -> None:
        if not sample_rate or sample_rate <= 0:
            raise ConfigError("a numpy array source needs samplerate=HZ")
        self.data, self.channels, self.format = _as_wire(array, "source array")
        self.sample_rate, self.paced, self._at = int(sample_rate), realtime, 0

    def read(self, frames: int) -> bytes:
        n = frames * self.frame_bytes
        out = self.data[self._at:self._at + n]
        self._at += len(out)
        return out

    def describe(self) -> str:
        return f"a numpy array ({len(self.data) // self.frame_bytes} frames, {super().describe()})"


class IteratorSource(Source):
    """Arrays from an iterable, cut into chunks; consumed no faster than the mailman accepts."""

    def __init__(self, blocks: Iterable[np.ndarray], sample_rate: int, realtime: bool = False) -> None:
        if not sample_rate or sample_rate <= 0:
            raise ConfigError("an iterator source needs samplerate=HZ")
        self._it: Iterator[np.ndarray] = iter(blocks)
        self.sample_rate, self.paced = int(sample_rate), realtime
        self._rest = b""
        self._ended = False
        first = self._next_block()
        if first is None:
            raise ConfigError("the source iterator gave no audio")
        self._rest, self.channels, self.format = first

    def _next_block(self) -> Optional[Tuple[bytes, int, int]]:
        for a in self._it:
            return _as_wire(a, "source iterator block")
        self._ended = True
        return None

    def read(self, frames: int) -> bytes:
        want = frames * self.frame_bytes
        parts = [self._rest]
        have = len(self._rest)
        while have < want and not self._ended:
            block = self._next_block()
            if block is None:
                break
            data, channels, fmt = block
            if channels != self.channels or fmt != self.format:
                raise ConfigError(f"source iterator: a block of {channels} ch {wire.FORMAT_NAMES[fmt]} after "
                                  f"{self.channels} ch {wire.FORMAT_NAMES[self.format]}: keep the format constant")
            parts.append(data)
            have += len(data)
        joined = b"".join(parts)
        self._rest = joined[want:]
        return joined[:want]

    def describe(self) -> str:
        return f"an iterator of arrays ({super().describe()})"


class PcmSource(Source):
    """Raw little-endian PCM from a binary stream (stdin by default)."""

    def __init__(self, stream: Optional[BinaryIO], sample_rate: int, channels: int, sample_format: str) -> None:
        if not sample_rate or sample_rate <= 0:
            raise ConfigError("raw PCM from stdin needs samplerate=HZ")
        self.stream = stream if stream is not None else sys.stdin.buffer
        self.sample_rate, self.channels = int(sample_rate), int(channels or 1)
        self.format = parse_format(sample_format or "f32")

    def read(self, frames: int) -> bytes:
        want = frames * self.frame_bytes
        parts, have = [], 0
        while have < want:
            b = self.stream.read(want - have)
            if not b:
                break
            parts.append(b)
            have += len(b)
        data = b"".join(parts)
        return data[:len(data) - len(data) % self.frame_bytes]

    def describe(self) -> str:
        return f"raw PCM from stdin ({super().describe()})"


def parse_format(text: str) -> int:
    """``s16`` or ``f32`` (also ``int16``, ``float32``) to the wire format code."""
    t = str(text).lower().replace("le", "")
    if t in ("s16", "int16", "pcm16"):
        return wire.FORMAT_S16
    if t in ("f32", "float32", "float"):
        return wire.FORMAT_F32
    raise ConfigError(f"sample_format: expected s16 or f32, got {text!r}")


class WavSource(Source):
    """A WAV file: 16-bit PCM is sent as it is; 8/24/32-bit PCM and 32/64-bit float as float32.
    Paced at real time unless ``realtime=False``."""

    def __init__(self, path: "str | os.PathLike[str]", realtime: bool = True) -> None:
        self.path = Path(path)
        self.paced = realtime
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise ConfigError(f"{self.path}: WAV file not found (absolute path: {self.path.absolute()})") from None
        except OSError as e:
            raise ConfigError(f"{self.path}: cannot read WAV file: {e}") from None
        fmt, data = self._parse(raw)
        tag, channels, rate, bits = fmt
        self.sample_rate, self.channels = rate, channels
        width = bits // 8
        if tag == 1 and bits == 16:
            self.format, self.data = wire.FORMAT_S16, data[:len(data) - len(data) % (2 * channels)]
            return
        self.format = wire.FORMAT_F32
        usable = data[:len(data) - len(data) % (width * channels)]
        if tag == 3 and bits in (32, 64):
            a = np.frombuffer(usable, dtype="<f4" if bits == 32 else "<f8").astype("<f4")
        elif tag == 1 and bits == 8:
            a = (np.frombuffer(usable, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
        elif tag == 1 and bits == 24:
            b = np.frombuffer(usable, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
            v = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16))
            v = np.where(v >= 1 << 23, v - (1 << 24), v)
            a = v.astype(np.float32) / float(1 << 23)
        elif tag == 1 and bits == 32:
            a = (np.frombuffer(usable, dtype="<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
        else:
            raise ConfigError(f"{self.path}: WAV format tag {tag} with {bits} bits is not supported "
                              "(use PCM 8/16/24/32-bit or float 32/64-bit)")
        self.data = a.astype("<f4").tobytes()

    def _parse(self, raw: bytes) -> Tuple[Tuple[int, int, int, int], bytes]:
        if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
            raise ConfigError(f"{self.path}: not a WAV file (no RIFF/WAVE header)")
        at, fmt, data = 12, None, None
        while at + 8 <= len(raw):
            cid, size = raw[at:at + 4], struct.unpack_from("<I", raw, at + 4)[0]
            body = raw[at + 8:at + 8 + size]
            if cid == b"fmt ":
                tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", body, 0)
                if tag == 0xFFFE and len(body) >= 26:
                    tag = struct.unpack_from("<H", body, 24)[0]   # WAVE_FORMAT_EXTENSIBLE: the sub-format
                fmt = (tag, channels, rate, bits)
            elif cid == b"data":
                data = body
            at += 8 + size + (size & 1)
        if fmt is None or data is None:
            raise ConfigError(f"{self.path}: WAV file without a {'fmt' if fmt is None else 'data'} chunk")
        if fmt[1] < 1 or fmt[2] <= 0:
            raise ConfigError(f"{self.path}: WAV header says {fmt[1]} channels at {fmt[2]} Hz")
        return fmt, data

    def read(self, frames: int) -> bytes:
        n = frames * self.frame_bytes
        at = getattr(self, "_at", 0)
        out = self.data[at:at + n]
        self._at = at + len(out)
        return out

    def describe(self) -> str:
        return f"WAV file {self.path} ({super().describe()})"


class MicrophoneSource(Source):
    """The default (or given) input device through ``sounddevice``, imported only when used."""
    live = True

    def __init__(self, sample_rate: Optional[int], channels: Optional[int], sample_format: Optional[str],
                 device: Any = None) -> None:
        try:
            import sounddevice  # noqa: F401  (optional: the paper's dependency)
        except (ImportError, OSError) as e:
            raise ConfigError("recording from a microphone needs the 'sounddevice' package (and PortAudio): "
                              f"pip install sounddevice ({e}); or give a source: a WAV file, a numpy array, "
                              "an iterator of arrays or 'stdin'") from None
        self._sd = sounddevice
        info = sounddevice.query_devices(device, "input")
        self.sample_rate = int(sample_rate or info.get("default_samplerate") or 16000)
        self.channels = int(channels or 1)
        self.format = parse_format(sample_format or "s16")
        self._q: "queue.Queue[Optional[bytes]]" = queue.Queue()
        self._rest = b""
        self.lost_frames = 0

        def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
            if status and status.input_overflow:
                self.lost_frames += 1
            self._q.put(bytes(indata))

        self._stream = sounddevice.RawInputStream(samplerate=self.sample_rate, channels=self.channels,
                                                  dtype="int16" if self.format == wire.FORMAT_S16 else "float32",
                                                  device=device, blocksize=int(self.sample_rate * 0.02),
                                                  callback=callback)
        self._stream.start()

    def read(self, frames: int) -> bytes:
        want = frames * self.frame_bytes
        while len(self._rest) < want:
            b = self._q.get()
            if b is None:
                break
            self._rest += b
        out, self._rest = self._rest[:want], self._rest[want:]
        return out

    def close(self) -> None:
        try:
            self._stream.stop()
            self._stream.close()
        finally:
            self._q.put(None)

    def describe(self) -> str:
        return f"the microphone ({super().describe()})"


def open_source(source: Any, *, samplerate: Optional[int] = None, channels: Optional[int] = None,
                sample_format: Optional[str] = None, realtime: Optional[bool] = None, device: Any = None,
                stdin: Optional[BinaryIO] = None) -> Source:
    """The source for ``RecorderSocket(source=...)``: ``None`` (the microphone), a path to a WAV file,
    ``"stdin"`` / ``"-"`` (raw PCM), a numpy array, or an iterable of arrays."""
    if isinstance(source, Source):
        return source
    if source is None or (isinstance(source, str) and source == "mic"):
        return MicrophoneSource(samplerate, channels, sample_format, device)
    if isinstance(source, (str, os.PathLike)):
        if str(source) in ("stdin", "-"):
            return PcmSource(stdin, samplerate or 16000, channels or 1, sample_format or "f32")
        return WavSource(source, True if realtime is None else realtime)
    if isinstance(source, np.ndarray):
        return ArraySource(source, samplerate or 0, True if realtime is None else realtime)
    if isinstance(source, (io.RawIOBase, io.BufferedIOBase)):
        return PcmSource(source, samplerate or 16000, channels or 1, sample_format or "f32")  # type: ignore[arg-type]
    if hasattr(source, "__iter__"):
        return IteratorSource(source, samplerate or 0, bool(realtime))
    raise ConfigError(f"source: expected None (the microphone), a WAV path, 'stdin', a numpy array or an iterable of "
                      f"arrays, got {type(source).__name__}")
