"""scipy.signal.spectrogram (Debian's python3-scipy) of raw float32 mono samples: the reference for our spectrograms.

Usage: spectrogram.py IN.raw OUT.raw RATE NPERSEG NOVERLAP SCALING   (little-endian float32 in; float64 out,
[frequency, time] in C order). Prints the shape. Window 'hann' (periodic), detrend 'constant', one-sided, mode 'psd'.
"""
import sys

import numpy as np
from scipy.signal import spectrogram

src, dst, rate, nperseg, noverlap, scaling = sys.argv[1:7]
x = np.fromfile(src, dtype="<f4").astype(np.float64)
f, t, s = spectrogram(x, fs=int(rate), window="hann", nperseg=int(nperseg), noverlap=int(noverlap), detrend="constant", scaling=scaling)
s.astype("<f8").tofile(dst)
print(s.shape[0], s.shape[1], repr(float(t[0])), repr(float(f[1])))
