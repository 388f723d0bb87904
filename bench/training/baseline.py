#!/usr/bin/env python3
"""What an ML user writes today for the training-read benchmark (bench/training.bench.ps1): examples read from .flac
files with soundfile (sf.read(start=, stop=)), mixed to mono and resampled with scipy.signal.resample_poly, gain and
SNR-mixed background with numpy, in a multiprocessing pool; batches stacked with numpy.

    baseline.py rows.csv files.txt CONFIG WORKERS BATCHES BATCH_SIZE SEED
CONFIG: decode (1 s crops, 48 kHz stereo float32), resample (+ mono, 16 kHz), augment (+ gain, background at an SNR).
Prints one JSON line: seconds for BATCHES batches after two warm-up batches, and the time spent in each stage.
"""
import csv
import json
import multiprocessing as mp
import sys
import time

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

RATE, OUT, CROP = 48000, 16000, 48000


def init(rows, files, config, seed):
    global ROWS, FILES, CONFIG, SEED
    ROWS, FILES, CONFIG, SEED = rows, files, config, seed


def shaped(path, start):
    x, _ = sf.read(path, start=start, stop=start + CROP, dtype="float32", always_2d=True)
    return x


def example(task):
    number, row = task
    rng = np.random.default_rng([SEED, number])
    path, start, count = ROWS[row]
    t0 = time.perf_counter()
    x = shaped(path, start + int(rng.integers(0, count - CROP + 1)))
    t1 = time.perf_counter()
    if CONFIG == "decode":
        return x.T.copy(), (t1 - t0, 0.0, 0.0)
    y = resample_poly(x.mean(axis=1), 1, RATE // OUT).astype(np.float32)
    t2 = time.perf_counter()
    if CONFIG == "resample":
        return y[None, :], (t1 - t0, t2 - t1, 0.0)
    y *= np.float32(10 ** (rng.uniform(-12, 12) / 20))
    background_path = FILES[int(rng.integers(0, len(FILES)))]
    frames = sf.info(background_path).frames
    t3 = time.perf_counter()
    b = shaped(background_path, int(rng.integers(0, frames - CROP + 1)))
    t4 = time.perf_counter()
    b = resample_poly(b.mean(axis=1), 1, RATE // OUT).astype(np.float32)
    t5 = time.perf_counter()
    snr = rng.uniform(3, 30)
    ps, pn = float(np.mean(y.astype(np.float64) ** 2)), float(np.mean(b.astype(np.float64) ** 2))
    if pn > 0:
        y += b * np.float32(np.sqrt(ps / pn / 10 ** (snr / 10)))
    t6 = time.perf_counter()
    return y[None, :], (t1 - t0 + t4 - t3, t2 - t1 + t5 - t4, t3 - t2 + t6 - t5)


def main():
    rows_csv, files_txt, config, workers, batches, size, seed = sys.argv[1:8]
    workers, batches, size, seed = int(workers), int(batches), int(size), int(seed)
    with open(rows_csv) as f:
        rows = [(r["file"], int(r["start"]), int(r["count"])) for r in csv.DictReader(f)]
    files = open(files_txt).read().split("\n")
    files = [p for p in files if p]
    order = np.random.default_rng(seed).permutation(len(rows))
    total = (batches + 2) * size
    tasks = [(n, int(order[n % len(rows)])) for n in range(total)]
    stages = np.zeros(3)
    with mp.Pool(workers, initializer=init, initargs=(rows, files, config, seed)) as pool:
        results = pool.imap(example, tasks, chunksize=4)
        start = None
        for b in range(batches + 2):
            if b == 2:
                start = time.perf_counter()
            parts = [next(results) for _ in range(size)]
            batch = np.stack([p[0] for p in parts])
            if b >= 2:
                stages += np.sum([p[1] for p in parts], axis=0)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "shape": list(batch.shape), "decode": stages[0], "resample": stages[1], "augment": stages[2]}))


if __name__ == "__main__":
    main()
