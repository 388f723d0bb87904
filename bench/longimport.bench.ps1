<#
.SYNOPSIS
    One long recording (issue 13's first shape) imported through Import-Recording in a fresh pwsh process (module
    imported and a warm-up import done; time around the cmdlet only) against flac -5 of the same WAV, with the
    process's peak working set. Prints a Markdown table for docs/PERFORMANCE.md.
.EXAMPLE
    pwsh -NoProfile -File bench/longimport.bench.ps1 -Hours 1,10
#>
# A string, split here: pwsh -File passes "1,10" as one argument.
param([string] $Hours = '1,10', [int] $Rate = 48000, [int] $Channels = 2,
    # loud: pink noise at about -14 dBFS with a sweep; quiet: field background at about -50 dBFS with a faint sweep,
    # what recorders mostly hold (flac is faster on it, so fixed per-sample costs weigh more).
    [ValidateSet('loud', 'quiet')] [string] $Material = 'loud')
$ErrorActionPreference = 'Stop'
$lengths = @($Hours.Split(",") | ForEach-Object { [double]$_ })
if ($lengths | Where-Object { $_ -le 0 -or $_ -gt 24 }) { throw "Hours must be between 0 and 24 each (the WAV of 10 h of stereo is 6.9 GB)" }
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-longimport-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
$manifest = Join-Path $PSScriptRoot '../ZarrAudio.psd1'
$pwsh = Join-Path $PSHOME 'pwsh'
try {
    '| material | Import-Recording (fresh pwsh) | flac -5 | ratio (throughput) | peak working set | size vs flac -5 |'
    '|---|---|---|---|---|---|'
    foreach ($h in $lengths) {
        $seconds = [int]($h * 3600)
        $wav = Join-Path $work "long-$h.wav"
        $noise, $sweep = if ($Material -eq 'quiet') { 0.006, 0.01 } else { 0.3, 0.5 }
        & sox -n -r $Rate -b 16 -c $Channels $wav synth $seconds pinknoise vol $noise synth $seconds sine mix 3000-20000 vol $sweep
        $flac = Join-Path $work "long-$h.flac"
        $flacSeconds = (Measure-Command { & flac -5 -s -f -o $flac $wav }).TotalSeconds
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
`$warm = Join-Path '$work' 'warm.wav'
& sox -n -r $Rate -b 16 -c $Channels `$warm synth 2 pinknoise
`$null = Mount-ZarrAudio -Path (Join-Path '$work' 'archive-$h') -Create
`$null = Import-Recording -LiteralPath `$warm -Force
`$r = `$null
`$t = (Measure-Command { `$r = Import-Recording -LiteralPath '$wav' }).TotalSeconds
'{0} {1} {2}' -f `$t, [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64, `$r.StoredBytes
Dismount-ZarrAudio
"@
        $out = (& $pwsh -NoProfile -NonInteractive -Command $script | Select-Object -Last 1).Split(' ')
        $ours = [double]$out[0]; $peak = [long]$out[1]; $stored = [long]$out[2]
        '| {0} h of {1} kHz 16-bit {2} ch, {10} | {3:F1} s ({4:F0}× real time) | {5:F1} s ({6:F0}×) | {7:F2}× | {8:F0} MB | {9:F4}× |' -f $h, ($Rate / 1000), $Channels, $ours, ($seconds / $ours), $flacSeconds, ($seconds / $flacSeconds), ($flacSeconds / $ours), ($peak / 1MB), ($stored / (Get-Item $flac).Length), $Material
        Remove-Item -LiteralPath $wav, $flac -Force
        Remove-Item -LiteralPath (Join-Path $work "archive-$h") -Recurse -Force
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
