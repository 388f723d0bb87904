#!/bin/bash
# Imports a list of recordings into one archive in object storage, split across the tasks of a Slurm job array:
#   find /data/card-*/ -name '*.WAV' > files.txt
#   sbatch --array=0-31 examples/slurm-import.sh files.txt s3://bucket/archive
# Task k imports lines k, k+N, k+2N ... of the list (N = the array's size). Nothing coordinates the tasks but the
# store: ids and source hashes are claimed with exclusive creates, so any number of tasks on any number of nodes may
# run at once, a file imported twice is refused as a duplicate, and a task that is killed leaves an abandoned claim
# that `Repair-ZarrAudio` removes once its lease has run out (docs/SCALE.md).
#SBATCH --job-name=zarraudio-import
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
set -euo pipefail
list=$1
archive=$2
tasks=${SLURM_ARRAY_TASK_COUNT:-1}
task=${SLURM_ARRAY_TASK_ID:-0}
module_path=${ZARRAUDIO_MODULE:-$(cd "$(dirname "$0")/.." && pwd)/ZarrAudio.psd1}

# Each task's share of the list, in a file of its own.
share=$(mktemp)
trap 'rm -f "$share"' EXIT
awk -v n="$tasks" -v k="$task" '(NR - 1) % n == k' "$list" > "$share"

# Credentials come from the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or
# AZURE_STORAGE_CONNECTION_STRING for az://), never from the command line. A duplicate is reported and skipped.
pwsh -NoProfile -NonInteractive -Command "
  Import-Module '$module_path' -ErrorAction Stop
  \$null = Mount-ZarrAudio '$archive' -ErrorAction Stop
  Get-Content -LiteralPath '$share' | Get-Item | Import-Recording -ThrottleLimit ${SLURM_CPUS_PER_TASK:-2} -UserMeta @{ slurm_job = '${SLURM_JOB_ID:-none}' } |
    Select-Object Id, SourceName | Export-Csv -NoTypeInformation -LiteralPath 'imported-${SLURM_ARRAY_JOB_ID:-local}-$task.csv'
"
