<#
.SYNOPSIS
    Resampled reads (issue 23): 10 min of 48 kHz 16-bit stereo (pink noise and a sweep) stored as FLAC, read whole at
    16 kHz mono by Read-Samples -SampleRate 16000 -Mono (libsoxr High), against sox decoding the same FLAC file and
    resampling it (rate -h, remix to mono) to a raw file, and against Read-Samples without resampling (the decode alone).
    -Runs times each, interleaved; median (range).
.EXAMPLE
    pwsh -NoProfile -File bench/resample.bench.ps1 -Minutes 10 -Runs 3
#>
param([double] $Minutes = 10, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-resample-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
try {
    $flac = Join-Path $work 'field.flac'
    $seconds = [int]($Minutes * 60)
    & sox -n -r 48000 -b 16 -c 2 $flac synth $seconds pinknoise vol 0.2 synth $seconds sine mix 200-20000 vol 0.3
    Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')
    $null = Mount-ZarrAudio -Path (Join-Path $work 'archive') -Create
    $id = (Import-Recording -LiteralPath $flac).Id
    $null = Read-Samples -Id $id -Count 48000 -SampleRate 16000 -Mono # warm-up
    $times = @{ ours = @(); sox = @(); decode = @() }
    foreach ($run in 1..$Runs) {
        $times.sox += (Measure-Command { & sox $flac -t raw -e floating-point -b 32 (Join-Path $work 'out.raw') remix - rate -h 16000 }).TotalSeconds
        $times.ours += (Measure-Command { $b = Read-Samples -Id $id -SampleRate 16000 -Mono }).TotalSeconds
        if ($b.SampleCount -ne $seconds * 16000) { throw "read $($b.SampleCount) samples" }
        $b = $null
        $times.decode += (Measure-Command { $null = Read-Samples -Id $id -AsSingle }).TotalSeconds
    }
    function Median($v) { $s = $v | Sort-Object; $s[[math]::Floor(($s.Count - 1) / 2)] }
    function Cell($v) { '{0:0.00} s ({1:0.00}–{2:0.00})' -f (Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum }
    "| $Minutes min of 48 kHz stereo → 16 kHz mono | time | ratio (sox / this) |"
    '|---|---|---|'
    "| Read-Samples -SampleRate 16000 -Mono (libsoxr High) | $(Cell $times.ours) | $('{0:0.00}' -f ((Median $times.sox) / (Median $times.ours))) |"
    "| sox: decode the FLAC file, remix, rate -h | $(Cell $times.sox) | 1.00 |"
    "| Read-Samples -AsSingle (the decode alone, 48 kHz stereo) | $(Cell $times.decode) | |"
    Dismount-ZarrAudio -All
}
finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
