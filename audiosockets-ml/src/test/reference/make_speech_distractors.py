#!/usr/bin/env python3
"""Builds the VAD quality test's file: four spoken sentences with loud non-speech between them.

Run once (needs espeak-ng, sox, numpy, scipy); the tests read the committed output and need none of them:

    python3 make_speech_distractors.py ../resources/io/audiosockets/ml/

Writes speech_distractors.wav (mono, 16 kHz, 16-bit) and speech_distractors.labels.tsv: one line per
sound, "kind<TAB>start_sample<TAB>end_sample", the sentences' extents being where their first and last
samples louder than -50 dBFS lie (espeak's own leading and trailing silence is not speech).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.io import wavfile

RATE = 16000
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Please call Stella and ask her to bring these things.",
    "A processor receives every chunk of audio in order.",
    "Nothing is lost without a notice naming it.",
]


def speak(text, tmp):
    raw = os.path.join(tmp, "raw.wav")
    out = os.path.join(tmp, "out.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", raw, text], check=True)
    subprocess.run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", out], check=True)
    rate, x = wavfile.read(out)
    assert rate == RATE
    x = x.astype(np.float64) / 32768.0
    loud = np.nonzero(np.abs(x) > 10 ** (-50 / 20))[0]
    x = x[loud[0]:loud[-1] + 1]
    return 0.5 * x / np.max(np.abs(x))  # -6 dBFS peak


def music(seconds, rng):
    # A melody with chords on a harmonic-rich synthetic instrument: strongly tonal, loud, not speech.
    t = np.arange(int(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    notes = [261.63, 329.63, 392.00, 523.25, 392.00, 329.63]
    step = seconds / len(notes)
    for k, f in enumerate(notes):
        i0, i1 = int(k * step * RATE), int((k + 1) * step * RATE)
        tt = t[i0:i1] - t[i0]
        env = np.exp(-3 * tt)
        for h in range(1, 8):
            for chord in (1.0, 1.25, 1.5):
                out[i0:i1] += env * np.sin(2 * np.pi * f * chord * h * tt) / h
    return 0.5 * out / np.max(np.abs(out))


def noise_burst(seconds, rng):
    x = rng.standard_normal(int(seconds * RATE))
    return 0.4 * x / np.max(np.abs(x))


def claps(count, rng):
    # Each clap: 3 ms attack, 60 ms exponential decay of white noise, band-limited by a first difference.
    gap = int(0.3 * RATE)
    out = np.zeros(count * gap)
    for c in range(count):
        n = int(0.08 * RATE)
        burst = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.015 * RATE))
        burst = np.diff(burst, prepend=0.0)
        out[c * gap:c * gap + n] += burst
    return 0.6 * out / np.max(np.abs(out))


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else "."
    rng = np.random.default_rng(15)
    with tempfile.TemporaryDirectory() as tmp:
        speech = [speak(s, tmp) for s in SENTENCES]
    pieces = [("silence", np.zeros(int(0.6 * RATE))),
              ("speech", speech[0]), ("silence", np.zeros(int(0.7 * RATE))),
              ("music", music(1.8, rng)), ("silence", np.zeros(int(0.7 * RATE))),
              ("speech", speech[1]), ("silence", np.zeros(int(0.7 * RATE))),
              ("noise", noise_burst(0.8, rng)), ("silence", np.zeros(int(0.7 * RATE))),
              ("speech", speech[2]), ("silence", np.zeros(int(0.7 * RATE))),
              ("claps", claps(5, rng)), ("silence", np.zeros(int(0.7 * RATE))),
              ("speech", speech[3]), ("silence", np.zeros(int(0.6 * RATE)))]
    labels = []
    at = 0
    for kind, x in pieces:
        if kind != "silence":
            labels.append((kind, at, at + len(x)))
        at += len(x)
    audio = np.concatenate([x for _, x in pieces])
    wavfile.write(os.path.join(target, "speech_distractors.wav"), RATE,
                  np.round(np.clip(audio, -1, 1) * 32767).astype(np.int16))
    with open(os.path.join(target, "speech_distractors.labels.tsv"), "w") as f:
        for kind, s, e in labels:
            f.write(f"{kind}\t{s}\t{e}\n")
    print(f"{len(audio)} samples ({len(audio) / RATE:.2f} s); {len(labels)} labelled sounds")


if __name__ == "__main__":
    main()
