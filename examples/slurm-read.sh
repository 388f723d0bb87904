#!/bin/bash
# Reads labelled sample ranges for analysis or training, split across the tasks of a Slurm job array:
#   labels.csv has the columns id,start,count,label (sample offsets in each recording's own rate)
#   export ZARRAUDIO_HOME=/path/to/zarraudio   # where ZarrAudio.psd1 and examples/ are (sbatch runs a copy of this script)
#   sbatch --array=0-15 examples/slurm-read.sh labels.csv s3://bucket/archive out/
# Task k reads rows k, k+N, k+2N ... and writes one little-endian float32 file per row, [count, channels]
# interleaved, named {row}_{id}_{label}.f32. Reads are independent: any number of tasks may read while others
# import. Each task prints one summary line and exits non-zero when a row failed. Credentials: as slurm-import.sh.
#SBATCH --job-name=zarraudio-read
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=01:00:00
set -euo pipefail
home=${ZARRAUDIO_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
task=$(( ${SLURM_ARRAY_TASK_ID:-0} - ${SLURM_ARRAY_TASK_MIN:-0} ))
tasks=${SLURM_ARRAY_TASK_COUNT:-1}
exec pwsh -NoProfile -NonInteractive -File "$home/examples/slurm/read-task.ps1" -Labels "$(realpath "$1")" -Archive "$2" \
  -Module "${ZARRAUDIO_MODULE:-$home/ZarrAudio.psd1}" -Output "$3" -Task "$task" -Tasks "$tasks"
