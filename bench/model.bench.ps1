<#
.SYNOPSIS
    Models over the archive (issue 24): a 0.92 M-parameter 1-D CNN (tests/reference/make_models.py cnn: four
    convolutions and a dense layer, seeded random weights) taking 3 s windows at -ModelRate, run by ModelRunner over
    -Recordings recordings of -Minutes minutes (48 kHz stereo, quiet pink noise; averaged to mono, resampled when the
    rates differ). Against the model alone on the same number of windows from memory, and the reading alone (a
    model that does next to nothing: the tone detector). -Runs times, median (range). Debian has no onnxruntime for
    Python, so the comparison is our own read + model split, as the issue says.
.EXAMPLE
    pwsh -NoProfile -File bench/model.bench.ps1 -Recordings 10 -Minutes 10 -Runs 3
#>
param([int] $Recordings = 10, [double] $Minutes = 10, [int] $Runs = 3, [int[]] $ModelRate = @(48000, 32000), [string] $Work)
$ErrorActionPreference = 'Stop'
$keep = [bool]$Work
if (-not $Work) { $Work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-model-$PID" }
$null = New-Item -ItemType Directory -Path $Work -Force
try {
    $seconds = [int]($Minutes * 60)
    $archive = Join-Path $Work 'archive'
    if (-not (Test-Path $archive)) {
        Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')
        $null = Mount-ZarrAudio -Path $archive -Create
        foreach ($i in 1..$Recordings) {
            $file = Join-Path $Work "rec$i.flac"
            & sox -n -r 48000 -b 16 -c 2 $file synth $seconds pinknoise vol 0.03 synth $seconds sine mix 1000-9000 vol 0.01
            $null = Import-Recording -LiteralPath $file
            Remove-Item -LiteralPath $file
        }
        Dismount-ZarrAudio -All
    }
    $project = Join-Path $PSScriptRoot 'ZarrAudio.Bench'
    & dotnet build $project -c Release -v q --nologo | Out-Null
    $dll = Join-Path $project 'bin/Release/net10.0/ZarrAudio.Bench.dll'
    $make = Join-Path $PSScriptRoot '../tests/reference/make_models.py'
    '| model rate | audio | windows | full run | model alone | reading alone | read share of model time | real time |'
    '|---|---|---|---|---|---|---|---|'
    foreach ($rate in $ModelRate) {
        $cnn = Join-Path $Work "cnn$rate.onnx"; $tone = Join-Path $Work "tone$rate.onnx"
        $null = & /usr/bin/python3 $make cnn $cnn (3 * $rate) 10
        $null = & /usr/bin/python3 $make tone $tone $rate 2000 5000
        $results = foreach ($run in 1..$Runs) { & dotnet $dll --model $archive $cnn $tone $rate $Recordings | ConvertFrom-Json }
        function Median($v) { $s = @($v | Sort-Object); $s[[math]::Floor(($s.Count - 1) / 2)] }
        function Cell($v) { '{0:0.00} s ({1:0.00}–{2:0.00})' -f (Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum }
        $share = Median @($results | ForEach-Object { ($_.full - $_.model_only) / $_.model_only })
        '| {0} Hz | {1:0} min | {2} | {3} | {4} | {5} | {6:P1} | {7:0}× |' -f $rate, ($results[0].audio_seconds / 60), $results[0].windows, (Cell $results.full),
            (Cell $results.model_only), (Cell $results.read_only), $share, ($results[0].audio_seconds / (Median $results.full))
    }
}
finally {
    if (-not $keep) { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue }
}
