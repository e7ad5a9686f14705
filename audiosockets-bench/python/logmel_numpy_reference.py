#!/usr/bin/env python3
"""A numpy stand-in for librosa's log-mel, timed on the same input as LogMelBenchmark.

librosa is not installable here, so this re-implements, with the same numpy/scipy calls, what

    S = librosa.feature.melspectrogram(y=x, sr=16000, n_fft=400, hop_length=160,
                                       n_mels=128, fmin=0.0, fmax=8000.0)
    out = np.log(S + 1e-8)

does in librosa 0.10.2 (the paper's LogMelSpectrogram(16000)):

* centring: the signal is padded with n_fft // 2 zeros on each side (center=True, pad_mode='constant');
* framing: a strided view (np.lib.stride_tricks.as_strided, as librosa.util.frame), shape (n_fft, n_frames);
* window: periodic Hann, scipy.signal.get_window('hann', n_fft, fftbins=True);
* spectrum: numpy.fft.rfft(window[:, None] * frames, axis=-2), then |X|**2 (power=2);
* mel basis: librosa.filters.mel(sr, n_fft, n_mels=128, fmin=0, fmax=sr/2, htk=False,
  norm='slaney', dtype=np.float32), reproduced below line by line;
* mel_basis.dot(S), then np.log(. + 1e-8).

It is a stand-in, not librosa: librosa runs these same numpy operations plus its own overhead
(argument validation, a padding scheme that splits the signal into three parts and calls rfft up
to three times, and -- with librosa's cache off, its default -- building the mel basis and the
window again on every call). So librosa itself would be no faster than the "basis once" figures
here; the "basis per call" figures are closer to what librosa really does per call.

The script first checks that the stand-in reproduces the real-librosa reference outputs in
shared/testdata/logmel (max abs diff must be <= 1e-5; it is ~1e-12), then times it:

* 0.5 s: one call on the 8000-sample chunk (1.0 to 1.5 s of the signal), repeated;
* 20 ms: one batch call per 320-sample chunk (3 columns each: every chunk is centred and padded
  on its own, as a batch call per chunk does), cycling through the 25 chunks of that 0.5 s.

Each call is timed with time.perf_counter; the cases take turns in rounds (default 20 rounds of
400 / 200 / 2000 / 500 calls, about 30 s in all on the machine of BENCHMARKS.md) so that they all sample the same stretch of machine
time. The median per call is reported, with the real-time multiple (audio seconds per call /
seconds per call). One thread: BLAS threading is switched off
before numpy is imported (numpy.fft/pocketfft is single-threaded anyway).

Input: SpeechLikeSignal.java's formula, rebuilt here; or, with --signal FILE, the exact float32
samples written by
    java -cp audiosockets-bench/target/benchmarks.jar io.audiosockets.bench.SpeechLikeSignal FILE

Usage:
    python3 audiosockets-bench/python/logmel_numpy_reference.py [--testdata DIR] [--signal FILE]
        [--rounds N] [--scale F] [--json OUT]
"""

import os

# One core, like the JMH benchmark: no BLAS thread pool (must be set before numpy is imported).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.signal  # noqa: E402

SR = 16000
N_MELS = 128
EPS = 1e-8


# --------------------------------------------------------------------------------------------
# librosa 0.10.2 pieces, transcribed (librosa/core/convert.py, librosa/filters.py)
# --------------------------------------------------------------------------------------------

def hz_to_mel(frequencies):
    """librosa.hz_to_mel(frequencies, htk=False): the Slaney scale."""
    frequencies = np.asanyarray(frequencies)
    f_min = 0.0
    f_sp = 200.0 / 3
    mels = (frequencies - f_min) / f_sp
    min_log_hz = 1000.0
    min_log_mel = (min_log_hz - f_min) / f_sp
    logstep = np.log(6.4) / 27.0
    if frequencies.ndim:
        log_t = frequencies >= min_log_hz
        mels[log_t] = min_log_mel + np.log(frequencies[log_t] / min_log_hz) / logstep
    elif frequencies >= min_log_hz:
        mels = min_log_mel + np.log(frequencies / min_log_hz) / logstep
    return mels


def mel_to_hz(mels):
    """librosa.mel_to_hz(mels, htk=False)."""
    mels = np.asanyarray(mels)
    f_min = 0.0
    f_sp = 200.0 / 3
    freqs = f_min + f_sp * mels
    min_log_hz = 1000.0
    min_log_mel = (min_log_hz - f_min) / f_sp
    logstep = np.log(6.4) / 27.0
    if mels.ndim:
        log_t = mels >= min_log_mel
        freqs[log_t] = min_log_hz * np.exp(logstep * (mels[log_t] - min_log_mel))
    elif mels >= min_log_mel:
        freqs = min_log_hz * np.exp(logstep * (mels - min_log_mel))
    return freqs


def mel_frequencies(n_mels, fmin, fmax):
    """librosa.mel_frequencies(n_mels, fmin=fmin, fmax=fmax, htk=False)."""
    min_mel = hz_to_mel(fmin)
    max_mel = hz_to_mel(fmax)
    mels = np.linspace(min_mel, max_mel, n_mels)
    return mel_to_hz(mels)


def mel_filterbank(sr, n_fft, n_mels=N_MELS, fmin=0.0, fmax=None, dtype=np.float32):
    """librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
    htk=False, norm='slaney', dtype=dtype)."""
    if fmax is None:
        fmax = float(sr) / 2
    n_mels = int(n_mels)
    weights = np.zeros((n_mels, int(1 + n_fft // 2)), dtype=dtype)
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)          # librosa.fft_frequencies
    mel_f = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2: n_mels + 2] - mel_f[:n_mels])     # norm='slaney'
    weights *= enorm[:, np.newaxis]
    return weights


def frame(x, frame_length, hop_length):
    """librosa.util.frame(x, frame_length=..., hop_length=..., axis=-1) for a 1-D array:
    a strided view of shape (frame_length, n_frames)."""
    n_frames = 1 + (x.shape[-1] - frame_length) // hop_length
    return np.lib.stride_tricks.as_strided(
        x, shape=(frame_length, n_frames), strides=(x.strides[-1], hop_length * x.strides[-1]),
        writeable=False)


# --------------------------------------------------------------------------------------------
# the log-mel
# --------------------------------------------------------------------------------------------

class LogMel:
    """The paper's LogMelSpectrogram(fs): n_fft = win = round(fs * 0.025), hop = round(fs * 0.010)."""

    def __init__(self, sr=SR, n_mels=N_MELS):
        self.sr = sr
        self.n_fft = round(sr * 0.025)        # Python round: half to even, as the paper
        self.hop = round(sr * 0.010)
        self.n_mels = n_mels
        self.window = scipy.signal.get_window("hann", self.n_fft, fftbins=True)
        self.mel_basis = mel_filterbank(sr, self.n_fft, n_mels=n_mels, fmin=0.0, fmax=sr / 2.0)

    def compute(self, y):
        """np.log(melspectrogram(y) + eps), shape (n_mels, 1 + len(y) // hop)."""
        n_fft = self.n_fft
        y = np.pad(y, n_fft // 2, mode="constant")             # center=True, pad_mode='constant'
        frames = frame(y, n_fft, self.hop)                      # (n_fft, n_frames) view
        stft = np.fft.rfft(self.window[:, np.newaxis] * frames, axis=-2)
        power = np.abs(stft) ** 2                               # power=2.0
        mel = self.mel_basis.dot(power)
        return np.log(mel + EPS)


def logmel_basis_per_call(y, sr=SR):
    """As librosa actually runs with its cache off (the default): window and mel basis rebuilt per call."""
    return LogMel(sr).compute(y)


# --------------------------------------------------------------------------------------------
# the input: SpeechLikeSignal.java
# --------------------------------------------------------------------------------------------

def speech_like_signal(n):
    """SpeechLikeSignal.generate(n): the same formula, in the same order of operations."""
    t = np.arange(n) / float(SR)
    phi = 2 * np.pi * 140.0 * t - 60.0 * np.cos(2 * np.pi * 0.5 * t) + 60.0
    voiced = np.zeros(n)
    for k in range(1, 21):
        voiced = voiced + np.sin(k * phi) / k
    s = np.sin(2 * np.pi * 2.0 * t)
    envelope = s * s
    # splitmix64 with seed 20241124: state_i = seed + (i + 1) * golden (mod 2^64)
    golden = np.uint64(0x9E3779B97F4A7C15)
    z = np.uint64(20241124) + np.arange(1, n + 1, dtype=np.uint64) * golden
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    return (0.08 * envelope * voiced + 0.01 * (2 * u - 1)).astype(np.float32)


# --------------------------------------------------------------------------------------------
# validation against real librosa output
# --------------------------------------------------------------------------------------------

def find_testdata(explicit):
    if explicit:
        return Path(explicit)
    here = Path(__file__).resolve()
    for d in [Path.cwd(), *Path.cwd().parents, *here.parents]:
        cand = d / "shared" / "testdata" / "logmel"
        if (cand / "manifest.json").is_file():
            return cand
    sys.exit("shared/testdata/logmel not found (walked up from the working directory and the script); use --testdata")


def validate(testdata, tolerance=1e-5):
    manifest = json.loads((testdata / "manifest.json").read_text())
    results = []
    worst = 0.0
    for e in manifest["entries"]:
        x = np.fromfile(testdata / e["input_file"], dtype="<f4")
        ref = np.fromfile(testdata / e["output_file"], dtype="<f8").reshape(e["n_mels"], e["n_frames"])
        # The main reference: librosa given the float32 samples upcast to float64 (as Java computes).
        out = LogMel(e["fs"], e["n_mels"]).compute(x.astype(np.float64))
        if out.shape != ref.shape:
            sys.exit(f"{e['name']}: shape {out.shape}, reference {ref.shape}")
        diff = float(np.max(np.abs(out - ref)))
        worst = max(worst, diff)
        results.append({"case": e["name"], "shape": list(out.shape), "max_abs_diff": diff})
    for fb in manifest.get("melfb", []):
        for key, dtype in (("file", np.float64), ("file_float32_default", np.float32)):
            ref = np.fromfile(testdata / fb[key], dtype="<f8").reshape(fb["shape"])
            mine = mel_filterbank(fb["sr"], fb["n_fft"], n_mels=fb["n_mels"], fmin=fb["fmin"], fmax=fb["fmax"],
                                  dtype=dtype).astype(np.float64)
            diff = float(np.max(np.abs(mine - ref)))
            results.append({"case": fb[key], "shape": list(mine.shape), "max_abs_diff": diff})
            worst = max(worst, diff)
    for r in results:
        print(f"  parity {r['case']:<32} {str(tuple(r['shape'])):<12} max abs diff {r['max_abs_diff']:.2e}")
    if worst > tolerance:
        sys.exit(f"stand-in does NOT match the librosa reference: max abs diff {worst:.3e} > {tolerance}")
    print(f"  all within {tolerance:g} of real librosa 0.10.2 (worst {worst:.2e})")
    return results, worst


# --------------------------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------------------------

def time_calls(fn, inputs, calls, warmup):
    """Times `calls` calls of fn(inputs[i % len(inputs)]), each with perf_counter; returns seconds per call."""
    n_in = len(inputs)
    for i in range(warmup):
        fn(inputs[i % n_in])
    out = []
    pc = time.perf_counter
    for i in range(calls):
        y = inputs[i % n_in]
        t0 = pc()
        fn(y)
        out.append(pc() - t0)
    return out


def summary(name, samples, audio_seconds):
    med = statistics.median(samples)
    q = statistics.quantiles(samples, n=10)
    return {
        "case": name,
        "calls": len(samples),
        "audio_seconds_per_call": audio_seconds,
        "median_us": med * 1e6,
        "p10_us": q[0] * 1e6,
        "p90_us": q[-1] * 1e6,
        "mean_us": statistics.fmean(samples) * 1e6,
        "realtime_multiple_median": audio_seconds / med,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--testdata", help="shared/testdata/logmel (default: found by walking up)")
    ap.add_argument("--signal", help="float32 LE samples from SpeechLikeSignal.java (default: rebuilt here)")
    ap.add_argument("--rounds", type=int, default=20, help="timing rounds (default 20)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the calls per round (default 1)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()

    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}; "
          f"BLAS threads forced to 1")
    testdata = find_testdata(args.testdata)
    print(f"validation against {testdata}:")
    parity, worst = validate(testdata)

    signal = speech_like_signal(10 * SR)
    signal_note = "rebuilt from SpeechLikeSignal's formula"
    if args.signal:
        java = np.fromfile(args.signal, dtype="<f4")
        n = min(len(java), len(signal))
        differ = int(np.count_nonzero(java[:n] != signal[:n]))
        maxd = float(np.max(np.abs(java[:n].astype(np.float64) - signal[:n])))
        print(f"signal: Java's {args.signal} ({len(java)} samples) vs rebuilt: {differ} samples differ, "
              f"max abs diff {maxd:.1e}; timing uses Java's samples")
        signal = java
        signal_note = f"read from {args.signal} ({differ} of {n} samples differ from the Python rebuild, max {maxd:.1e})"

    # float64 in, as the main reference and as Java (which computes in double).
    chunk = signal[SR: SR + 8000].astype(np.float64)
    small = [chunk[c * 320:(c + 1) * 320] for c in range(25)]
    lm = LogMel(SR)
    assert lm.compute(chunk).shape == (128, 51) and lm.compute(small[0]).shape == (128, 3)

    # Round robin: every case is timed in each of `rounds` rounds, so that all cases sample the
    # same stretch of (possibly noisy, shared) machine time; the median is over all rounds.
    rounds = args.rounds
    s = args.scale
    runs = [
        ("0.5 s, mel basis once", lm.compute, [chunk], int(400 * s), 0.5),
        ("0.5 s, mel basis per call (librosa, cache off)", logmel_basis_per_call, [chunk], int(200 * s), 0.5),
        ("20 ms batch per chunk, mel basis once", lm.compute, small, int(2000 * s), 0.02),
        ("20 ms batch per chunk, mel basis per call (librosa, cache off)", logmel_basis_per_call, small,
         int(500 * s), 0.02),
    ]
    samples = {name: [] for name, *_ in runs}
    for name, fn, inputs, calls, _ in runs:          # warm-up
        time_calls(fn, inputs, max(50, calls // 4), warmup=0)
    t_start = time.perf_counter()
    for _ in range(rounds):
        for name, fn, inputs, calls, _ in runs:
            samples[name] += time_calls(fn, inputs, calls, warmup=0)
    elapsed = time.perf_counter() - t_start
    results = []
    print(f"timing ({rounds} rounds, round robin, {elapsed:.0f} s; perf_counter per call, median):")
    for name, fn, inputs, calls, audio in runs:
        r = summary(name, samples[name], audio)
        results.append(r)
        print(f"  {name:<64} median {r['median_us']:9.1f} us  (p10 {r['p10_us']:.1f}, p90 {r['p90_us']:.1f}, "
              f"n {r['calls']})  = {r['realtime_multiple_median']:7.0f}x real time")

    if args.json:
        Path(args.json).write_text(json.dumps({
            "what": "numpy stand-in for librosa.feature.melspectrogram + log (not librosa itself)",
            "python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "signal": signal_note, "parity_max_abs_diff": worst, "parity": parity, "timings": results,
        }, indent=2))
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
