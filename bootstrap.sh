#!/bin/sh
# Sets up a Debian machine that has the .NET SDK (native libraries, tools, pwsh 7.6.9), then runs a build.ps1
# task in pwsh: ./bootstrap.sh [build|test|demo|bench]. Idempotent; fast when everything is already there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
task=${1:-demo}
cd "$here"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Native libraries and tools: libFLAC (main), fdk-aac (non-free), ffmpeg; flac/sox for tests and benchmarks.
# nginx serves archives over HTTP in the tests (s3rver and Azurite come from npm, below); python3-ephem (PyEphem)
# and python3-scipy (resample_poly) are the independent references the sun and resampling tests compare against;
# python3-soundfile is the training-read benchmark's baseline (bench/training). Spectrograms: FFTW (libfftw3-single3),
# and for their pictures SkiaSharp's fontconfig and a font (fonts-dejavu-core), without which text would not be drawn;
# python3-onnx builds the small real ONNX models the model tests run (tests/reference/make_models.py); slurm-wlm and
# munge run a private single-node Slurm cluster for the Slurm tests (tests/servers/slurm-cluster.sh).
apt_packages="ffmpeg libflac12 libfdk-aac2 libfdk-aac-dev gcc libblosc1 libsoxr0 flac sox strace nginx python3-ephem python3-scipy python3-soundfile libfftw3-single3 libfontconfig1 fonts-dejavu-core python3-onnx slurm-wlm munge"
missing=""
for p in $apt_packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  # fdk-aac lives in Debian's non-free component: add it to the existing Debian sources entries.
  for f in /etc/apt/sources.list.d/debian.sources; do
    [ -f "$f" ] && as_root sed -i -E '/^Components:/{/(^| )non-free( |$)/!s/$/ non-free/}' "$f"
  done
  if [ -f /etc/apt/sources.list ]; then
    as_root sed -i -E '/^deb /{/ non-free( |$)/!s/( main)( |$)/\1 non-free\2/}' /etc/apt/sources.list
  fi
  echo "bootstrap: installing$missing" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $missing >/dev/null
fi

command -v dotnet >/dev/null 2>&1 || { echo "bootstrap: the .NET SDK (dotnet) is required" >&2; exit 1; }

# zarrita, the independent Zarr implementation the conformance tests compare against.
if [ ! -d tests/conformance/node_modules/zarrita ] || [ tests/conformance/package-lock.json -nt tests/conformance/node_modules/.package-lock.json ]; then
  (cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error)
fi

# The object-storage servers the tests start on 127.0.0.1: s3rver (S3) and Azurite (Azure Blob).
if [ ! -d tests/servers/node_modules/azurite ] || [ tests/servers/package-lock.json -nt tests/servers/node_modules/.package-lock.json ]; then
  (cd tests/servers && npm ci --no-audit --no-fund --loglevel=error)
fi

# pwsh 7.6.9 as a .NET global tool (pinned: a later 7.7 may want a newer .NET). build.ps1 restores Pester.
PATH="$PATH:${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
export PATH
if ! command -v pwsh >/dev/null 2>&1; then
  echo "bootstrap: installing pwsh 7.6.9 (dotnet tool)" >&2
  dotnet tool install --global PowerShell --version 7.6.9 >/dev/null
fi

case "$task" in
  build) exec pwsh -NoProfile -NonInteractive -File build.ps1 -Task Build ;;
  test) exec pwsh -NoProfile -NonInteractive -File build.ps1 -Task Test ;;
  demo) exec pwsh -NoProfile -NonInteractive -File build.ps1 -Task Demo ;;
  bench) shift; exec pwsh -NoProfile -NonInteractive -File build.ps1 -Task Bench "$@" ;;
  *) echo "usage: ./bootstrap.sh [build|test|demo|bench]" >&2; exit 2 ;;
esac
