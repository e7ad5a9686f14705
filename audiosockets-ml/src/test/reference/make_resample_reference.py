#!/usr/bin/env python3
"""The resampler's reference: scipy.signal.resample_poly on a test signal, for the rate pairs tested.

    python3 make_resample_reference.py ../resources/io/audiosockets/ml/resample/

For each pair IN->OUT writes IN_OUT.in.f32 (the input: a 0.25 s chirp from 50 Hz to just under IN/2
plus seeded noise, float32 little-endian) and IN_OUT.out.f32 (resample_poly(x, up, down) over the
whole input, computed in float64 and stored as float32).
"""
import math
import os
import sys

import numpy as np
from scipy.signal import resample_poly

PAIRS = [(48000, 16000), (44100, 16000), (22050, 16000), (8000, 16000), (32000, 8000)]


def main():
    target = sys.argv[1]
    os.makedirs(target, exist_ok=True)
    for rate_in, rate_out in PAIRS:
        rng = np.random.default_rng(rate_in + rate_out)
        n = rate_in // 4
        t = np.arange(n) / rate_in
        f1 = 0.49 * rate_in
        phase = 2 * np.pi * (50 * t + (f1 - 50) * t ** 2 / (2 * t[-1]))
        x = (0.5 * np.sin(phase) + 0.05 * rng.standard_normal(n)).astype(np.float32)
        g = math.gcd(rate_in, rate_out)
        y = resample_poly(x.astype(np.float64), rate_out // g, rate_in // g)
        x.astype("<f4").tofile(os.path.join(target, f"{rate_in}_{rate_out}.in.f32"))
        y.astype("<f4").tofile(os.path.join(target, f"{rate_in}_{rate_out}.out.f32"))
        print(rate_in, rate_out, len(x), len(y))


if __name__ == "__main__":
    main()
