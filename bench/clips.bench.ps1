<#
.SYNOPSIS
    An archive of many short clips (detections, call libraries): N one-second 48 kHz 16-bit mono WAVs, half quiet
    field noise (pink noise at about -40 dBFS) and half loud (about -10 dBFS), each with its own tone, imported with
    Import-Recording -Path *.wav into a directory archive, against the same clips as .flac files (flac -5). Prints the
    bytes of both: the recordings' data objects, the whole archive folder (metadata, claims, catalog included), and
    the .flac files, as a Markdown table for docs/PERFORMANCE.md.
.EXAMPLE
    pwsh -NoProfile -File bench/clips.bench.ps1 -Clips 1000
#>
param([int] $Clips = 1000)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-clips-$PID"
$clipsFolder = Join-Path $work 'clips'
$null = New-Item -ItemType Directory -Path $clipsFolder -Force
try {
    foreach ($i in 1..$Clips) {
        $level = if ($i % 2) { 0.01 } else { 0.3 }
        & sox -n -r 48000 -b 16 -c 1 (Join-Path $clipsFolder ('{0:D4}.wav' -f $i)) synth 1 pinknoise vol $level synth 1 sine mix (400 + 7 * $i) vol 0.5
    }
    & flac -5 -s -f (Get-ChildItem -LiteralPath $clipsFolder -Filter *.wav).FullName
    $flacBytes = (Get-ChildItem -LiteralPath $clipsFolder -Filter *.flac | Measure-Object Length -Sum).Sum
    Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')
    $archive = Join-Path $work 'archive'
    $null = Mount-ZarrAudio -Path $archive -Create
    $recordings = Import-Recording -Path (Join-Path $clipsFolder '*.wav')
    Dismount-ZarrAudio
    $stored = ($recordings | Measure-Object StoredBytes -Sum).Sum
    $data = (Get-ChildItem -LiteralPath $archive -Recurse -File | Where-Object { $_.Name -notin 'zarr.json', 'claim.json' -and $_.FullName -notmatch '[\\/](catalog|sha256)[\\/]' } | Measure-Object Length -Sum).Sum
    $folder = (Get-ChildItem -LiteralPath $archive -Recurse -File | Measure-Object Length -Sum).Sum
    "| what | bytes | vs the .flac files |"
    "|---|---|---|"
    "| $Clips clips as .flac (flac -5) | {0:N0} | 1.000× |" -f $flacBytes
    "| StoredBytes, summed | {0:N0} | {1:F3}× |" -f $stored, ($stored / $flacBytes)
    "| the recordings' data objects on disk | {0:N0} | {1:F3}× |" -f $data, ($data / $flacBytes)
    "| the whole archive folder (metadata, claims, catalog) | {0:N0} | {1:F3}× |" -f $folder, ($folder / $flacBytes)
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
