"""scipy.signal.resample_poly (Debian's python3-scipy) of raw float32 mono samples: the other reference resampler.

Usage: resample_poly.py IN.raw OUT.raw UP DOWN   (little-endian float32 in and out)
"""
import sys

import numpy as np
from scipy.signal import resample_poly

src, dst, up, down = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(src, dtype="<f4").astype(np.float64)
resample_poly(x, up, down).astype("<f4").tofile(dst)
