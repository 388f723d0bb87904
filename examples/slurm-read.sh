#!/bin/bash
# Reads labelled sample ranges for analysis or training, split across the tasks of a Slurm job array:
#   labels.csv has the columns id,start,count,label (sample offsets in each recording's own rate)
#   sbatch --array=0-15 examples/slurm-read.sh labels.csv s3://bucket/archive out/
# Task k reads rows k, k+N, k+2N ... and writes one little-endian float32 file per row, [count, channels]
# interleaved, named {row}_{id}_{label}.f32. Reads are independent: any number of tasks may read while others
# import; each 100 ms read is one ranged GET once a recording's first read has fetched its index.
#SBATCH --job-name=zarraudio-read
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=01:00:00
set -euo pipefail
labels=$1
archive=$2
out=$3
mkdir -p "$out"
module_path=${ZARRAUDIO_MODULE:-$(cd "$(dirname "$0")/.." && pwd)/ZarrAudio.psd1}

pwsh -NoProfile -NonInteractive -Command "
  Import-Module '$module_path' -ErrorAction Stop
  \$null = Mount-ZarrAudio '$archive' -ReadOnly -ErrorAction Stop
  \$tasks = [int](\$env:SLURM_ARRAY_TASK_COUNT ?? 1); \$task = [int](\$env:SLURM_ARRAY_TASK_ID ?? 0)
  \$rows = @(Import-Csv -LiteralPath '$labels')
  for (\$row = \$task; \$row -lt \$rows.Count; \$row += \$tasks) {
    \$l = \$rows[\$row]
    \$block = Read-Samples -Id \$l.id -Start \$l.start -Count \$l.count -AsSingle
    \$frames = \$block.Channel[0].Length; \$channels = \$block.Channel.Count
    \$interleaved = [float[]]::new(\$frames * \$channels)
    for (\$c = 0; \$c -lt \$channels; \$c++) {
      \$samples = \$block.Channel[\$c]
      for (\$i = 0; \$i -lt \$frames; \$i++) { \$interleaved[\$i * \$channels + \$c] = \$samples[\$i] }
    }
    \$bytes = [byte[]]::new(\$interleaved.Length * 4)
    [Buffer]::BlockCopy(\$interleaved, 0, \$bytes, 0, \$bytes.Length)
    [IO.File]::WriteAllBytes((Join-Path '$out' ('{0}_{1}_{2}.f32' -f \$row, \$l.id, \$l.label)), \$bytes)
  }
"
