"""``LogMelSpectrogram``: the paper's log-mel, in numpy, equal to librosa.

``LogMelSpectrogram(fs)(audio)`` computes exactly::

    win = round(fs * 0.025); hop = round(fs * 0.010)          # Python round: half to even
    S = librosa.feature.melspectrogram(y=audio, sr=fs, n_fft=win, hop_length=hop,
                                       n_mels=128, fmin=0.0, fmax=fs / 2.0)
    out = np.log(S + 1e-8)                                      # shape (n_mels, frames)

with librosa 0.10's defaults: a periodic Hann window, centred frames padded with zeros, the
power spectrum, and a Slaney mel filter bank rounded to float32 as librosa leaves it. Input is
computed in float64; a ``(frames, channels)`` array is mixed to mono first. Neither librosa nor
scipy is needed.
"""
from __future__ import annotations

from functools import lru_cache
import numpy as np


def hz_to_mel(f: np.ndarray) -> np.ndarray:
    """Slaney mel scale (librosa ``hz_to_mel(htk=False)``)."""
    f = np.asanyarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, min_log_hz) / min_log_hz) / logstep, mels)


def mel_to_hz(m: np.ndarray) -> np.ndarray:
    """Inverse of :func:`hz_to_mel`."""
    m = np.asanyarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filter_bank(sr: int, n_fft: int, n_mels: int = 128, fmin: float = 0.0, fmax: "float | None" = None,
                    dtype: type = np.float32) -> np.ndarray:
    """librosa ``filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney', dtype)``: (n_mels, 1 + n_fft//2)."""
    if fmax is None:
        fmax = sr / 2.0
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=dtype)
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))   # rounded to dtype here, as in librosa
    enorm = 2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]                               # and again here
    return weights


@lru_cache(maxsize=16)
def _bank(sr: int, n_fft: int, n_mels: int) -> np.ndarray:
    return mel_filter_bank(sr, n_fft, n_mels).astype(np.float64)


@lru_cache(maxsize=16)
def _hann(n: int) -> np.ndarray:
    # scipy.signal.get_window('hann', n, fftbins=True): a symmetric window of n + 1, last point dropped.
    return (0.5 + 0.5 * np.cos(np.linspace(-np.pi, np.pi, n + 1)))[:n]


class LogMelSpectrogram:
    """The paper's ``LogMelSpectrogram(fs, n_mels=128, win_dur=0.025, hop_dur=0.010, eps=1e-8)``.

    Calling it on audio returns the log-mel spectrogram of shape ``(n_mels, frames)``, with
    ``frames = 1 + len(audio) // hop``. Instances hold no state between calls: one may be shared.
    """

    def __init__(self, fs: int, n_mels: int = 128, win_dur: float = 0.025, hop_dur: float = 0.010,
                 eps: float = 1e-8) -> None:
        if fs <= 0:
            raise ValueError(f"fs must be > 0, got {fs}")
        self.fs = int(fs)
        self.n_mels = int(n_mels)
        self.win_length = round(fs * win_dur)   # half to even, as in the paper's Python
        self.hop_length = round(fs * hop_dur)
        if self.win_length < 2 or self.hop_length < 1:
            raise ValueError(f"fs {fs} gives a window of {self.win_length} and a hop of {self.hop_length} samples")
        self.n_fft = self.win_length
        self.eps = eps

    def __call__(self, audio: np.ndarray) -> np.ndarray:
        x = np.asarray(audio, dtype=np.float64)
        x = np.squeeze(x)
        if x.ndim == 2:
            x = x.mean(axis=1)   # (frames, channels), as data["data"] is: mixed to mono
        if x.ndim != 1:
            raise ValueError(f"audio must be (samples,) or (samples, channels), got shape {np.shape(audio)}")
        n_fft, hop = self.n_fft, self.hop_length
        pad = n_fft // 2
        padded = np.pad(x, (pad, pad), mode="constant")
        frames = 1 + (len(padded) - n_fft) // hop
        idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
        spec = np.fft.rfft(padded[idx] * _hann(n_fft), n=n_fft, axis=1)
        power = spec.real ** 2 + spec.imag ** 2                      # (frames, bins)
        mel = _bank(self.fs, n_fft, self.n_mels) @ power.T           # (n_mels, frames)
        return np.log(mel + self.eps)


__all__ = ["LogMelSpectrogram", "mel_filter_bank", "hz_to_mel", "mel_to_hz"]
