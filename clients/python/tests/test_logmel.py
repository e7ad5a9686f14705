"""audiosockets.utils.LogMelSpectrogram equals librosa: the shared/testdata/logmel references."""
import json
import os
from pathlib import Path

import numpy as np
import pytest

from audiosockets.utils import LogMelSpectrogram, mel_filter_bank


def reference_dir() -> Path:
    explicit = os.environ.get("AUDIOSOCKETS_SHARED")
    if explicit:
        candidate = Path(explicit) / "testdata" / "logmel"
        if not (candidate / "manifest.json").is_file():
            pytest.fail(f"AUDIOSOCKETS_SHARED={explicit}: no testdata/logmel/manifest.json there")
        return candidate
    for d in (Path(__file__).resolve(), *Path(__file__).resolve().parents):
        candidate = d / "shared" / "testdata" / "logmel"
        if (candidate / "manifest.json").is_file():
            return candidate
    for d in (Path.cwd(), *Path.cwd().parents):
        candidate = d / "shared" / "testdata" / "logmel"
        if (candidate / "manifest.json").is_file():
            return candidate
    pytest.fail("shared/testdata/logmel not found above the checkout: the log-mel reference data is missing")


REF = reference_dir()
ENTRIES = json.loads((REF / "manifest.json").read_text())["entries"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_equal_to_librosa(entry):
    x = np.fromfile(REF / entry["input_file"], dtype="<f4")
    expected = np.fromfile(REF / entry["output_file"], dtype="<f8").reshape(entry["shape"])
    got = LogMelSpectrogram(entry["fs"])(x)
    assert got.shape == tuple(entry["shape"])
    diff = float(np.max(np.abs(got - expected)))
    print(f"parity {entry['name']} {got.shape}: max |diff| {diff:.2g}")
    assert diff <= 1e-6


def test_filter_bank_is_librosas_float32_bank_bit_for_bit():
    expected = np.fromfile(REF / "melfb_16000_400_128_f32.f64", dtype="<f8").reshape(128, 201)
    assert np.array_equal(mel_filter_bank(16000, 400).astype(np.float64), expected)


def test_half_to_even_window_at_44100():
    lms = LogMelSpectrogram(44100)
    assert (lms.n_fft, lms.hop_length) == (1102, 441)


def test_stereo_is_mixed_to_mono():
    x = np.fromfile(REF / "noise_16k.f32", dtype="<f4")
    stereo = np.stack([x, x], axis=1)
    assert np.allclose(LogMelSpectrogram(16000)(stereo), LogMelSpectrogram(16000)(x))
    assert LogMelSpectrogram(16000)(stereo).shape == (128, 51)
