<#
.SYNOPSIS
    Slurm (issue 25): the same import of -Files one-minute WAV files (48 kHz 16-bit stereo, quiet pink noise) into a
    directory archive as 1 task and as a 2-task array, and -Reads label reads of 100 ms as 1 and 2 tasks, all through
    a private single-node Slurm cluster (tests/servers/slurm-cluster.sh) on this machine's 2 cores; and the
    scheduler's own cost per task (an array of tasks that do nothing). Wall time from sbatch to the job's end.
    -Runs times each, interleaved; median (range).
.EXAMPLE
    pwsh -NoProfile -File bench/slurm.bench.ps1 -Files 200 -Reads 10000 -Runs 3
#>
param([int] $Files = 200, [int] $Reads = 10000, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-slurm-$PID"
$null = New-Item -ItemType Directory -Path (Join-Path $work 'files') -Force
$cluster = Join-Path $work 'cluster'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
try {
    $env:SLURM_CONF = & bash (Join-Path $repo 'tests/servers/slurm-cluster.sh') start $cluster
    $env:ZARRAUDIO_HOME = $repo
    1..$Files | ForEach-Object -ThrottleLimit 2 -Parallel {
        & sox -n -r 48000 -b 16 -c 2 (Join-Path $using:work ('files/f{0:000}.wav' -f $_)) synth 60 pinknoise vol 0.03
    }
    [IO.File]::WriteAllLines((Join-Path $work 'files.txt'), [string[]](Get-ChildItem (Join-Path $work 'files/*.wav')).FullName)
    function Invoke-Job([string[]] $Arguments) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $job = & sbatch --parsable "--chdir=$work" "--output=$work/slurm-%A_%a.out" @Arguments
        while (& squeue -h -j $job 2>$null) { Start-Sleep -Milliseconds 100 }
        $failed = @(& scontrol -o show job $job | Where-Object { $_ -notmatch 'JobState=COMPLETED' })
        if ($failed) { throw "job $job did not complete: $failed" }
        $watch.Elapsed.TotalSeconds
    }
    Import-Module (Join-Path $repo 'ZarrAudio.psd1')
    $times = @{}
    function Add-Time($key, $value) { if (-not $times[$key]) { $times[$key] = @() }; $times[$key] += $value }
    foreach ($run in 1..$Runs) {
        Add-Time 'empty' (Invoke-Job @('--array=0-1', '--wrap', 'true'))
        foreach ($tasks in 1, 2) {
            $archive = Join-Path $work "archive-$run-$tasks"
            $null = Mount-ZarrAudio -Path $archive -Create; Dismount-ZarrAudio -All
            # The machine's 2 cores either way: one task with both (2 encoders), or two tasks with one each.
            Add-Time "import/$tasks" (Invoke-Job @("--array=0-$($tasks - 1)", "--cpus-per-task=$(2 / $tasks)", (Join-Path $repo 'examples/slurm-import.sh'), 'files.txt', $archive, "out-$run-$tasks"))
        }
        if ($run -eq 1) {
            # Reads: 100 ms ranges at seeded random places of the first run's recordings.
            $random = [Random]::new(1)
            $lines = [Collections.Generic.List[string]]::new(); $lines.Add('id,start,count,label')
            foreach ($n in 1..$Reads) { $lines.Add(('{0},{1},4800,r' -f $random.Next(1, $Files + 1), $random.Next(0, 48000 * 59))) }
            [IO.File]::WriteAllLines((Join-Path $work 'labels.csv'), $lines)
        }
        foreach ($tasks in 1, 2) {
            # A read task reads on one thread: one core each.
            Add-Time "read/$tasks" (Invoke-Job @("--array=0-$($tasks - 1)", '--cpus-per-task=1', (Join-Path $repo 'examples/slurm-read.sh'), 'labels.csv', (Join-Path $work "archive-1-1"), "reads-$run-$tasks"))
        }
    }
    function Median($v) { $s = @($v | Sort-Object); $s[[math]::Floor(($s.Count - 1) / 2)] }
    function Cell($v) { '{0:0.00} s ({1:0.00}–{2:0.00})' -f (Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum }
    '| job | 1 task | 2 tasks | speed-up |'
    '|---|---|---|---|'
    "| import $Files one-minute stereo WAVs | $(Cell $times['import/1']) | $(Cell $times['import/2']) | $('{0:0.00}' -f ((Median $times['import/1']) / (Median $times['import/2'])))× |"
    "| $Reads reads of 100 ms | $(Cell $times['read/1']) | $(Cell $times['read/2']) | $('{0:0.00}' -f ((Median $times['read/1']) / (Median $times['read/2'])))× |"
    "| an array of 2 tasks that do nothing (the scheduler's cost) | | $(Cell $times['empty']) | |"
}
finally {
    & bash (Join-Path $repo 'tests/servers/slurm-cluster.sh') stop $cluster
    Remove-Item Env:SLURM_CONF, Env:ZARRAUDIO_HOME -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
