"""The ``data`` dict a processor receives: the paper's keys plus ours."""
from __future__ import annotations

from typing import Any, Dict

import numpy as np

from . import wire

_S16_SCALE = np.float32(1.0 / 32768.0)


def samples_array(fmt: int, channels: int, frames: int, samples: bytes) -> np.ndarray:
    """float32 samples in [-1, 1): shape ``(frames,)`` for mono, ``(frames, channels)`` otherwise."""
    if fmt == wire.FORMAT_S16:
        a = np.frombuffer(samples, dtype="<i2").astype(np.float32)
        a *= _S16_SCALE
    else:
        a = np.frombuffer(samples, dtype="<f4").astype(np.float32)
    return a if channels == 1 else a.reshape(frames, channels)


def data_dict(a: wire.Audio) -> Dict[str, Any]:
    """The paper's ``data`` dict for one AUDIO frame.

    Keys: ``fs`` (int), ``data`` (float32 array), ``time`` (capture time of the first sample, seconds
    since the epoch, float), and ``time_ns``, ``stream``, ``seq``, ``channels``, ``frames``,
    ``format`` (``"s16"`` or ``"f32"``), ``redelivered`` (bool), ``raw`` (the little-endian sample
    bytes exactly as the recorder sent them).
    """
    return {
        "fs": a.sample_rate,
        "data": samples_array(a.format, a.channels, a.frames, a.samples),
        "time": a.capture_time_nanos / 1e9,
        "time_ns": a.capture_time_nanos,
        "stream": a.stream,
        "seq": a.seq,
        "channels": a.channels,
        "frames": a.frames,
        "format": wire.FORMAT_NAMES[a.format],
        "redelivered": a.redelivered,
        "raw": a.samples,
    }
