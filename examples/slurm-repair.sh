#!/bin/bash
# Cleans up after killed or failed import tasks: run as a follow-up job that starts when the import array has ended,
# however it ended:
#   job=$(sbatch --parsable --array=0-31 examples/slurm-import.sh files.txt s3://bucket/archive)
#   sbatch --dependency=afterany:$job examples/slurm-repair.sh s3://bucket/archive
# Removes what killed work left (uncommitted recordings, claims whose lease ran out or whose process is gone on this
# host, stale locks); never a live import. Prints what it removed; credentials as slurm-import.sh.
#SBATCH --job-name=zarraudio-repair
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=00:30:00
set -euo pipefail
home=${ZARRAUDIO_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
exec pwsh -NoProfile -NonInteractive -File "$home/examples/slurm/repair-task.ps1" -Archive "$1" -Module "${ZARRAUDIO_MODULE:-$home/ZarrAudio.psd1}"
