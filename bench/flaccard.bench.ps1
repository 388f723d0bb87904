<#
.SYNOPSIS
    A card of FLAC recordings (issue 20): N one-minute 48 kHz 16-bit mono files made by flac -5, on two materials:
    quiet field noise (pink noise at about -44 dBFS with a faint tone) and loud noise (about -14 dBFS). For each
    material, three interleaved runs of: one flac -5 process re-encoding all files (what a user would otherwise run),
    Import-Recording -Path *.flac (frames kept, the source decoded beside to verify it), and Import-Recording
    -CompressionLevel 5 (decoded and encoded again: the path before frame copy). Prints the median and range.
.EXAMPLE
    pwsh -NoProfile -File bench/flaccard.bench.ps1 -Files 60
#>
param([int] $Files = 60, [int] $Seconds = 60, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-flaccard-$PID"
Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')

function Get-Median([double[]] $Values) { $s = $Values | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }
function Format-Spread([double[]] $Values) { '{0:F2}× ({1:F2}–{2:F2})' -f (Get-Median $Values), ($Values | Measure-Object -Minimum).Minimum, ($Values | Measure-Object -Maximum).Maximum }

try {
    $lines = @()
    foreach ($material in @(@{ Name = 'quiet'; Noise = 0.006; Tone = 0.01 }, @{ Name = 'loud'; Noise = 0.2; Tone = 0.3 })) {
        $card = Join-Path $work $material.Name
        $null = New-Item -ItemType Directory -Path $card -Force
        foreach ($i in 1..$Files) {
            $wav = Join-Path $card ('{0:D4}.wav' -f $i)
            & sox -n -r 48000 -b 16 -c 1 $wav synth $Seconds pinknoise vol $material.Noise synth $Seconds sine mix (500 + 17 * $i) vol $material.Tone
            & flac -5 -s -f -o ([IO.Path]::ChangeExtension($wav, '.flac')) $wav
            Remove-Item -LiteralPath $wav
        }
        $flacs = (Get-ChildItem -LiteralPath $card -Filter *.flac).FullName
        $sourceBytes = ($flacs | ForEach-Object { (Get-Item -LiteralPath $_).Length } | Measure-Object -Sum).Sum
        $pattern = [WildcardPattern]::Escape($card) + '/*.flac'
        $null = Mount-ZarrAudio -Path (Join-Path $work "warm-$($material.Name)") -Create
        $null = Import-Recording -LiteralPath $flacs[0]; $null = Import-Recording -LiteralPath $flacs[0] -CompressionLevel 5 -Force
        Dismount-ZarrAudio
        $copyRatios = @(); $encodeRatios = @(); $flacTimes = @(); $copyTimes = @(); $stored = 0
        foreach ($run in 1..$Runs) {
            $out = Join-Path $work "flac-$($material.Name)-$run"
            $null = New-Item -ItemType Directory -Path $out
            $flacSeconds = (Measure-Command { & flac -5 -s -f --output-prefix "$out/" @flacs }).TotalSeconds
            Remove-Item -LiteralPath $out -Recurse -Force

            $null = Mount-ZarrAudio -Path (Join-Path $work "copy-$($material.Name)-$run") -Create
            $imported = $null
            $copySeconds = (Measure-Command { $imported = @(Import-Recording -Path $pattern) }).TotalSeconds
            if ($imported.Count -ne $Files -or @($imported | Where-Object CodecSettings -notlike '*source*').Count) { throw 'not every file was imported by frame copy' }
            $stored = ($imported | Measure-Object StoredBytes -Sum).Sum
            Dismount-ZarrAudio

            $null = Mount-ZarrAudio -Path (Join-Path $work "encode-$($material.Name)-$run") -Create
            $encodeSeconds = (Measure-Command { $imported = @(Import-Recording -Path $pattern -CompressionLevel 5) }).TotalSeconds
            if ($imported.Count -ne $Files) { throw 'not every file was imported' }
            Dismount-ZarrAudio
            Remove-Item -LiteralPath (Join-Path $work "copy-$($material.Name)-$run"), (Join-Path $work "encode-$($material.Name)-$run") -Recurse -Force

            $flacTimes += $flacSeconds; $copyTimes += $copySeconds
            $copyRatios += $flacSeconds / $copySeconds; $encodeRatios += $flacSeconds / $encodeSeconds
        }
        $lines += '| {0} | {1:F1} s | {2:F1} s | {3} | {4} | {5:F4}× |' -f $material.Name, (Get-Median $flacTimes), (Get-Median $copyTimes),
            (Format-Spread $copyRatios), (Format-Spread $encodeRatios), ($stored / $sourceBytes)
    }
    "Measured in pwsh $($PSVersionTable.PSVersion) on $([Environment]::ProcessorCount) cores: $Files FLAC files of $Seconds s per material, 48 kHz 16-bit mono (flac -5), $Runs interleaved runs; ratios are flac -5's time over the import's, median (range)."
    ''
    '| material | flac -5 re-encoding (one process) | Import-Recording (frames kept) | frames kept vs flac -5 | decoded and encoded again (-CompressionLevel 5) vs flac -5 | stored / source files |'
    '|---|---|---|---|---|---|'
    $lines
}
finally {
    Dismount-ZarrAudio -All -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
