#!/bin/bash
# Imports a list of recordings into one archive, split across the tasks of a Slurm job array:
#   find /data/card-*/ -name '*.WAV' > files.txt
#   export ZARRAUDIO_HOME=/path/to/zarraudio   # where ZarrAudio.psd1 and examples/ are (sbatch runs a copy of this script)
#   sbatch --array=0-31 --cpus-per-task=2 examples/slurm-import.sh files.txt s3://bucket/archive [output-folder]
# Task k imports lines k, k+N, k+2N ... of the list (N = the array's size; one path per line, taken literally).
# Nothing coordinates the tasks but the store: ids and source hashes are claimed with exclusive creates, so any
# number of tasks on any number of nodes may run at once, a file imported twice is reported as a duplicate and
# skipped, and a task that is killed leaves an abandoned claim that Repair-ZarrAudio removes once its lease has run
# out (docs/SCALE.md). Each task prints one summary line and exits non-zero when any file failed.
# Credentials come from the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or
# AZURE_STORAGE_CONNECTION_STRING for az://), which sbatch passes on; never put them on the command line.
#SBATCH --job-name=zarraudio-import
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
set -euo pipefail
home=${ZARRAUDIO_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
list=$(realpath "$1")
archive=$2
output=${3:-.}
# The task's place in the array, from 0 (an array may start at another index: --array=1-8).
task=$(( ${SLURM_ARRAY_TASK_ID:-0} - ${SLURM_ARRAY_TASK_MIN:-0} ))
tasks=${SLURM_ARRAY_TASK_COUNT:-1}
# A task imports many files: .NET compiles each method fully once instead of warming up in tiers (about a quarter
# less CPU a file over the first hundred files, about 2.5 s more at start; docs/PERFORMANCE.md). Set it to 1 to undo.
export DOTNET_TieredCompilation=${DOTNET_TieredCompilation:-0}
exec pwsh -NoProfile -NonInteractive -File "$home/examples/slurm/import-task.ps1" -List "$list" -Archive "$archive" \
  -Module "${ZARRAUDIO_MODULE:-$home/ZarrAudio.psd1}" -Task "$task" -Tasks "$tasks" -ThrottleLimit "${SLURM_CPUS_PER_TASK:-2}" -Output "$output"
