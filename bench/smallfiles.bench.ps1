<#
.SYNOPSIS
    A recorder card of many small files (issue 13's second shape): N one-minute 48 kHz 16-bit mono WAVs,
    imported with Import-Recording -Path *.wav in pwsh (module loaded, one warm-up import done, time around the
    cmdlet only) against one flac -5 process over the same files. Prints a Markdown table for docs/PERFORMANCE.md.
.EXAMPLE
    pwsh -NoProfile -File bench/smallfiles.bench.ps1 -Files 500
#>
param([int] $Files = 500, [int] $Seconds = 60,
    # Rounds > 1: the same card imported again into a fresh archive in the same pwsh session, flac -5 timed before each
    # round: shows what the process's warm-up (.NET tiered compilation) costs the first rounds.
    [int] $Rounds = 1,
    # loud: pink noise at about -14 dBFS with a tone; quiet: field background at about -44 dBFS with a faint tone,
    # what recorders mostly hold (flac is faster on it, so fixed per-file costs weigh more).
    [ValidateSet('loud', 'quiet')] [string] $Material = 'loud')
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-smallfiles-$PID"
$card = Join-Path $work 'card'
$null = New-Item -ItemType Directory -Path $card -Force
try {
    # AudioMoth-like material: noise plus a tone, a different one per file (so no two files hash alike), with the
    # LIST/INFO artist and comment an AudioMoth writes (sox writes none), after the samples.
    foreach ($i in 1..$Files) {
        $path = Join-Path $card ('{0:D4}.WAV' -f $i)
        $noise, $tone = if ($Material -eq 'quiet') { 0.006, 0.01 } else { 0.2, 0.5 }
        & sox -n -r 48000 -b 16 -c 1 $path synth $Seconds pinknoise vol $noise synth $Seconds sine mix (500 + 17 * $i) vol $tone
        $info = [IO.MemoryStream]::new()
        $info.Write([Text.Encoding]::ASCII.GetBytes('INFO'))
        foreach ($entry in @(@('IART', 'AudioMoth 24526B065D325963'), @('ICMT', ('Recorded at {0:D2}:00:00 01/05/2026 (UTC) by AudioMoth 24526B065D325963 at medium gain while battery was 4.2V.' -f ($i % 24))))) {
            $text = [Text.Encoding]::ASCII.GetBytes($entry[1] + [char]0)
            $info.Write([Text.Encoding]::ASCII.GetBytes($entry[0])); $info.Write([BitConverter]::GetBytes([int]$text.Length)); $info.Write($text)
            if ($text.Length % 2) { $info.WriteByte(0) }
        }
        $file = [IO.File]::Open($path, 'Open', 'ReadWrite')
        try {
            $null = $file.Seek(0, 'End')
            $file.Write([Text.Encoding]::ASCII.GetBytes('LIST')); $file.Write([BitConverter]::GetBytes([int]$info.Length)); $file.Write($info.ToArray())
            $null = $file.Seek(4, 'Begin'); $file.Write([BitConverter]::GetBytes([int]($file.Length - 8)))
        }
        finally { $file.Dispose() }
    }
    $bytes = (Get-ChildItem -LiteralPath $card -Filter *.WAV | Measure-Object Length -Sum).Sum

    $flacOut = Join-Path $work 'flac'
    $null = New-Item -ItemType Directory -Path $flacOut
    $wavs = (Get-ChildItem -LiteralPath $card -Filter *.WAV).FullName

    Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')
    $null = Mount-ZarrAudio -Path (Join-Path $work 'warm') -Create
    $null = Import-Recording -LiteralPath $wavs[0]
    Dismount-ZarrAudio
    $pattern = [WildcardPattern]::Escape($card) + '/*.WAV'
    $results = foreach ($round in 1..$Rounds) {
        $flacSeconds = (Measure-Command { & flac -5 -s -f --output-prefix "$flacOut/" @wavs }).TotalSeconds
        $null = Mount-ZarrAudio -Path (Join-Path $work "archive$round") -Create
        $imported = $null
        $cpu = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
        $jitMethods, $jitTime = [Runtime.JitInfo]::GetCompiledMethodCount($false), [Runtime.JitInfo]::GetCompilationTime($false)
        $importSeconds = (Measure-Command { $imported = @(Import-Recording -Path $pattern) }).TotalSeconds
        $cpu = ([Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime - $cpu).TotalSeconds
        $jitMethods = [Runtime.JitInfo]::GetCompiledMethodCount($false) - $jitMethods
        $jitTime = ([Runtime.JitInfo]::GetCompilationTime($false) - $jitTime).TotalSeconds
        if ($imported.Count -ne $Files) { throw "imported $($imported.Count) of $Files files" }
        $stored = ($imported | Measure-Object StoredBytes -Sum).Sum
        if (($imported | Where-Object { $_.File.ffprobe.format.tags.artist -ne 'AudioMoth 24526B065D325963' }).Count) { throw 'an AudioMoth tag is missing' }
        Dismount-ZarrAudio
        [pscustomobject]@{ Round = $round; Import = $importSeconds; Flac = $flacSeconds; Cpu = $cpu; Stored = $stored; JitMethods = $jitMethods; JitTime = $jitTime }
    }
    $flacBytes = (Get-ChildItem -LiteralPath $flacOut | Measure-Object Length -Sum).Sum
    $importSeconds, $flacSeconds, $stored = $results[0].Import, $results[0].Flac, $results[0].Stored

    $audio = $Files * $Seconds
    "Measured in pwsh $($PSVersionTable.PSVersion) on $([Environment]::ProcessorCount) cores: $Files WAV files of $Seconds s, 48 kHz 16-bit mono ($([math]::Round($bytes / 1MB)) MiB), $Material material."
    ''
    '| what | Import-Recording -Path *.WAV | flac -5 (one process, all files) | ratio (throughput) | target |'
    '|---|---|---|---|---|'
    '| time | {0:F1} s ({1:F0} ms a file) | {2:F1} s ({3:F0} ms a file) | {4:F2}× | ≥ 1.2× |' -f $importSeconds, (1000 * $importSeconds / $Files), $flacSeconds, (1000 * $flacSeconds / $Files), ($flacSeconds / $importSeconds)
    '| throughput | {0:F0}× real time | {1:F0}× real time | | |' -f ($audio / $importSeconds), ($audio / $flacSeconds)
    '| stored size | {0:N0} B | {1:N0} B | {2:F4}× | |' -f $stored, $flacBytes, ($stored / $flacBytes)
    if ($Rounds -gt 1) {
        ''
        '| round (same pwsh session) | Import-Recording | its CPU time | methods JIT-compiled (JIT time) | flac -5 | ratio |'
        '|---|---|---|---|---|---|'
        foreach ($r in $results) { '| {0} | {1:F2} s | {2:F2} s ({3:F0} ms a file) | {4:N0} ({5:F2} s) | {6:F2} s | {7:F2}× |' -f $r.Round, $r.Import, $r.Cpu, (1000 * $r.Cpu / $Files), $r.JitMethods, $r.JitTime, $r.Flac, ($r.Flac / $r.Import) }
    }
}
finally {
    Dismount-ZarrAudio -All -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force
}
