#!/usr/bin/env python3
"""Consume batches written by Export-TrainingBatch, as a training loop would (numpy only; no model is trained).

    pwsh -c "Get-Segment calls | Read-TrainingBatch -Length 1 -SampleRate 16000 -Mono -BatchSize 64 | Export-TrainingBatch ./batches"
    python3 examples/consume_batches.py ./batches

Each batch is {stem}.json (written last: a batch whose JSON exists is complete), {stem}.samples.npy (float32
[example, channel, frame]) and {stem}.label_{name}.npy per label column (float32 [example, category] multi-hot for
text labels, float64 [example] for numbers). The script checks every batch against its JSON and prints one line each,
then a summary; it exits non-zero when anything disagrees.
"""
import json
import pathlib
import sys

import numpy as np


def check(folder: pathlib.Path) -> int:
    batches = sorted(folder.glob("batch-*.json"))
    if not batches:
        print(f"no batches in {folder}", file=sys.stderr)
        return 1
    seen = {}
    for meta_path in batches:
        meta = json.loads(meta_path.read_text())
        stem = str(meta_path)[: -len(".json")]
        x = np.load(stem + ".samples.npy")
        rows, channels, frames = meta["shape"]
        assert x.dtype == np.float32 and x.shape == (rows, channels, frames), (meta_path, x.dtype, x.shape)
        assert np.isfinite(x).all(), f"{meta_path}: samples that are not numbers"
        count = meta["count"]
        assert len(meta["examples"]) == count <= rows
        assert not x[count:].any(), f"{meta_path}: padding that is not zeros"
        for name, column in meta["labels"].items():
            y = np.load(f"{stem}.{column['file']}.npy")
            if "categories" in column:
                categories = column["categories"]
                assert y.shape == (rows, len(categories)), (name, y.shape)
                for e, example in enumerate(meta["examples"]):
                    # An example's own label is set; labels of rows mixed into it may be set too.
                    own = example["labels"].get(name)
                    if own is not None:
                        assert y[e, categories.index(str(own))] == 1, (meta_path, e, name, own)
                    mixed = [r["labels"].get(name) for a in example["applied"] if a["operation"] == "Mix" for r in a["rows"]]
                    expected = {str(v) for v in [own, *mixed] if v is not None}
                    assert {categories[k] for k in np.flatnonzero(y[e])} == expected, (meta_path, e, name)
            else:
                assert y.shape == (rows,) and y.dtype == np.float64, (name, y.shape, y.dtype)
        for example in meta["examples"]:
            key = (meta["epoch"], example["recording"], example["start"], example["key"])
            seen[key] = seen.get(key, 0) + 1
        rms = float(np.sqrt(np.mean(np.square(x[:count], dtype=np.float64)))) if count else 0.0
        print(f"{meta_path.name}: epoch {meta['epoch']} batch {meta['index']} shape {x.shape} at {meta['sample_rate']} Hz, "
              f"{count} examples, rms {rms:.4f}")
    repeats = [k for k, n in seen.items() if n > 1]
    assert not repeats, f"rows read twice in one epoch: {repeats[:5]}"
    epochs = sorted({k[0] for k in seen})
    print(f"batches: {len(batches)}, examples: {len(seen)}, epochs: {epochs}")
    return 0


if __name__ == "__main__":
    sys.exit(check(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "batches")))
