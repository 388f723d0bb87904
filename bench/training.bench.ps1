<#
.SYNOPSIS
    Training reads (issue 23): batches of 64 random 1 s crops from a list of 3 s segment rows over -Recordings
    recordings of -Minutes minutes (48 kHz 16-bit stereo, quiet pink noise with a faint sweep: a quiet field
    recording's statistics), read from the archive (FLAC) by BatchReader (C#) and Read-TrainingBatch (PowerShell),
    against what an ML user writes on the same audio as .flac files: Python with soundfile, scipy's resample_poly
    and numpy in a multiprocessing pool (bench/training/baseline.py). Three tasks: decode (crops at 48 kHz stereo),
    resample (+ mono, 16 kHz) and augment (+ gain and background from another recording at an SNR), each with 1 and
    2 workers; -Runs times each, interleaved; median (range) of batches/s, and peak memory of the process tree.
.EXAMPLE
    pwsh -NoProfile -File bench/training.bench.ps1 -Recordings 100 -Minutes 10 -Runs 3
#>
param([int] $Recordings = 100, [double] $Minutes = 10, [int] $Runs = 3, [int] $Batches = 20, [int] $BatchSize = 64, [string] $Work)
$ErrorActionPreference = 'Stop'
$keep = [bool]$Work
if (-not $Work) { $Work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-training-$PID" }
$null = New-Item -ItemType Directory -Path (Join-Path $Work 'files') -Force
$python = '/usr/bin/python3'
$here = $PSScriptRoot
try {
    $seconds = [int]($Minutes * 60)
    # Material: made once per -Work folder.
    1..$Recordings | ForEach-Object -ThrottleLimit 2 -Parallel {
        $file = Join-Path $using:Work ('files/rec{0:000}.flac' -f $_)
        if (-not (Test-Path $file)) { & sox -n -r 48000 -b 16 -c 2 $file synth $using:seconds pinknoise vol 0.03 synth $using:seconds sine mix 1000-9000 vol 0.01 }
    }
    $files = Get-ChildItem (Join-Path $Work 'files/*.flac') | Sort-Object Name
    Import-Module (Join-Path $here '../ZarrAudio.psd1')
    $archivePath = Join-Path $Work 'archive'
    if (-not (Test-Path $archivePath)) {
        $null = Mount-ZarrAudio -Path $archivePath -Create
        $null = $files | Import-Recording
        Dismount-ZarrAudio -All
    }
    # 2,000 rows of 3 s at seeded random places, five labels.
    $random = [Random]::new(1)
    $rowsCsv = Join-Path $Work 'rows.csv'
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('id,file,start,count,species')
    foreach ($n in 1..2000) {
        $i = $random.Next($files.Count)
        $lines.Add(('{0},{1},{2},{3},{4}' -f ($i + 1), $files[$i].FullName, $random.Next(0, ($seconds - 3) * 48000), (3 * 48000), ('sp' + $random.Next(5))))
    }
    [IO.File]::WriteAllLines($rowsCsv, $lines)
    $filesTxt = Join-Path $Work 'files.txt'
    [IO.File]::WriteAllLines($filesTxt, [string[]]$files.FullName)
    $project = Join-Path $here 'ZarrAudio.Bench'
    & dotnet build $project -c Release -v q --nologo | Out-Null
    $dll = Join-Path $project 'bin/Release/net10.0/ZarrAudio.Bench.dll'
    $peak = Join-Path $here 'training/peakrss.py'

    function Measure-Run([string[]] $Command) {
        $out = & $python $peak @Command
        if ($LASTEXITCODE -ne 0) { throw "failed: $Command`n$out" }
        $json = $out | Where-Object { $_ -like '{*' } | Select-Object -Last 1 | ConvertFrom-Json
        $json | Add-Member peak_mb ([double](($out | Where-Object { $_ -like 'peak_rss_mb *' }) -split ' ')[1]) -PassThru
    }
    $ps = @"
Import-Module '$(Join-Path $here '../ZarrAudio.psd1')'
`$null = Mount-ZarrAudio -Path '$archivePath' -ReadOnly
`$rows = Import-Csv '$rowsCsv' | ForEach-Object { [pscustomobject]@{ Id = [long]`$_.id; Start = [long]`$_.start; Count = [long]`$_.count; species = `$_.species } }
`$noise = Get-RecordingMeta
`$augment = @(New-Augmentation -Gain -Probability 1; New-Augmentation -Background `$noise -Probability 1)
`$n = 0; `$watch = `$null
`$rows | Read-TrainingBatch -Length 1 -SampleRate 16000 -Mono -BatchSize $BatchSize -Seed 1 -Augmentation `$augment -ThrottleLimit 2 | Select-Object -First $($Batches + 2) | ForEach-Object {
    if (++`$n -eq 2) { `$watch = [Diagnostics.Stopwatch]::StartNew() }
}
'{"seconds": ' + `$watch.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture) + '}'
"@
    $psFile = Join-Path $Work 'pipeline.ps1'
    Set-Content -LiteralPath $psFile -Value $ps
    $results = @{}
    function Add-Result($Key, $Value) { if (-not $results[$Key]) { $results[$Key] = @() }; $results[$Key] += $Value }
    foreach ($run in 1..$Runs) {
        foreach ($config in 'decode', 'resample', 'augment') {
            foreach ($workers in 1, 2) {
                $args = @($config, $workers, $Batches, $BatchSize, 1)
                $py = Measure-Run (@($python, (Join-Path $here 'training/baseline.py'), $rowsCsv, $filesTxt) + $args)
                $cs = Measure-Run (@('dotnet', $dll, '--training', $archivePath, $rowsCsv) + $args)
                Add-Result "$config/$workers/python" $py
                Add-Result "$config/$workers/ours" $cs
            }
        }
        Add-Result 'augment/2/pwsh' (Measure-Run @((Get-Command pwsh).Source, '-NoProfile', '-File', $psFile))
    }
    function Median($v) { $s = @($v | Sort-Object); $s[[math]::Floor(($s.Count - 1) / 2)] }
    function Rate($r) { $Batches / $r.seconds }
    function Cell($list) {
        $rates = @($list | ForEach-Object { Rate $_ })
        '{0:0.00} ({1:0.00}–{2:0.00})' -f (Median $rates), ($rates | Measure-Object -Minimum).Minimum, ($rates | Measure-Object -Maximum).Maximum
    }
    "$Recordings recordings × $Minutes min, 48 kHz stereo FLAC; $Batches batches of $BatchSize 1 s crops; $Runs runs, median (range)."
    ''
    '| task | workers | Python batches/s | ZarrAudio C# batches/s | ratio | crops/s (C#) | peak MB Python | peak MB C# | C# alloc per batch |'
    '|---|---|---|---|---|---|---|---|---|'
    foreach ($config in 'decode', 'resample', 'augment') {
        foreach ($workers in 1, 2) {
            $py = $results["$config/$workers/python"]; $cs = $results["$config/$workers/ours"]
            $ratio = (Median @($cs | ForEach-Object { Rate $_ })) / (Median @($py | ForEach-Object { Rate $_ }))
            '| {0} | {1} | {2} | {3} | {4:0.00} | {5:0} | {6:0} | {7:0} | {8:0.0} MB of {9:0.0} MB |' -f $config, $workers, (Cell $py), (Cell $cs), $ratio,
                ((Median @($cs | ForEach-Object { Rate $_ })) * $BatchSize), (Median @($py.peak_mb)), (Median @($cs.peak_mb)),
                ((Median @($cs.allocated_per_batch)) / 1MB), ($cs[0].batch_bytes / 1MB)
        }
    }
    $pw = $results['augment/2/pwsh']
    '| augment, Read-TrainingBatch in pwsh | 2 | | {0} | {1:0.00} | | | {2:0} | |' -f (Cell $pw), ((Median @($pw | ForEach-Object { Rate $_ })) / (Median @($results['augment/2/python'] | ForEach-Object { Rate $_ }))), (Median @($pw.peak_mb))
    ''
    '| share of a 1-worker augment batch: decode / resample / augment (from the three tasks: decode, resample − decode, augment − resample; the background crop is part of augment) | decode | resample | augment |'
    '|---|---|---|---|'
    foreach ($side in 'python', 'ours') {
        $d = Median @($results["decode/1/$side"].seconds); $r = Median @($results["resample/1/$side"].seconds); $a = Median @($results["augment/1/$side"].seconds)
        '| {0} | {1:P0} | {2:P0} | {3:P0} |' -f @{ python = 'Python'; ours = 'ZarrAudio C#' }[$side], ($d / $a), (($r - $d) / $a), (($a - $r) / $a)
    }
}
finally {
    if (-not $keep) { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue }
}
