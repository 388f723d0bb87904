BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # A private single-node cluster (tests/servers/slurm-cluster.sh): its own munge key, config, ports and state in
    # this file's own temporary folder; stopped and removed in AfterAll however the tests end. Not in TestDrive: Pester
    # deletes at the end of each Describe what was added to TestDrive during it, and the cluster and the time-limited
    # job write while several Describes run.
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "zarraudio-slurm-$([guid]::NewGuid().ToString('N'))")).FullName
    $script:Cluster = Join-Path $Root 'cluster'
    $script:Skip = $null
    if (-not (Get-Command slurmctld -ErrorAction SilentlyContinue) -or -not (Get-Command munged -ErrorAction SilentlyContinue)) {
        $script:Skip = 'Slurm (slurm-wlm) and munge are not installed: bootstrap.sh installs them from Debian'
    }
    else {
        # Twice the machine's CPUs: the time-limit job (last Describe) runs beside the other tests instead of alone.
        $conf = & bash (Join-Path $RepoRoot 'tests/servers/slurm-cluster.sh') start $Cluster (2 * [Environment]::ProcessorCount)
        if ($LASTEXITCODE -ne 0) { throw "The test cluster did not start: $conf" }
        $env:SLURM_CONF = $conf
    }
    $env:ZARRAUDIO_HOME = $RepoRoot
    # The jobs here import a few files each: .NET's default tiered start is quicker for that than the examples'
    # bulk setting (docs/PERFORMANCE.md), and sbatch passes the environment on.
    $env:DOTNET_TieredCompilation = '1'
    # Submitted before the other tests, which run while it waits for its time limit: a one-task import with --time=1
    # (Slurm's shortest: a minute, enforced within 30 s after it). Once it has committed a file and is in the middle of
    # another, its processes are stopped (SIGSTOP), as a task hung on a stalled file system would be: it then runs past
    # its limit without using the CPU the other tests need, and Slurm kills it.
    function Submit-TimeLimitedImport {
        $work = (New-Item -ItemType Directory -Path (Join-Path $Root 'timeout-job')).FullName
        # Five 600 MB WAVs of near silence, sparse on disk (a few distinct bytes, then zeros): a few seconds of import
        # each, at no disk cost.
        $files = foreach ($i in 0..4) {
            $distinct = [byte[]](1..64 | ForEach-Object { ($_ * 7 + $i) % 256 })
            New-RawWav (Join-Path $work "quiet night $i.wav") -Channels 2 -Data $distinct -Length 600000000
        }
        $list = Join-Path $work 'files.txt'
        [IO.File]::WriteAllLines($list, [string[]]$files)
        $archive = Join-Path $work 'archive'
        $null = Mount-ZarrAudio -Path $archive -Create
        Dismount-ZarrAudio -All
        $out = Join-Path $work 'import.out'
        $job = & sbatch --parsable --time=1 --open-mode=append "--chdir=$work" "--output=$out" (Join-Path $RepoRoot 'examples/slurm-import.sh') files.txt $archive (Join-Path $work 'out')
        if ($LASTEXITCODE -ne 0) { throw 'sbatch refused the time-limited job' }
        # Stop it while an import is in flight (claimed, not committed) after at least one commit; if that import
        # commits in the instant before the stop, let it go on and stop at the next one.
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ($clock.Elapsed.TotalSeconds -lt 120) {
            $ids = @(Get-ChildItem -LiteralPath $archive -Directory -ErrorAction SilentlyContinue | Where-Object Name -Match '^\d+$')
            $committed = @($ids | Where-Object { Test-Path -LiteralPath (Join-Path $_.FullName 'zarr.json') })
            $inFlight = @($ids | Where-Object { -not (Test-Path -LiteralPath (Join-Path $_.FullName 'zarr.json')) })
            if ($committed.Count -ge 1 -and $inFlight.Count -ge 1) {
                $pids = @(& pgrep -f ([regex]::Escape($list)))
                if ($pids) { & kill -STOP @pids }
                if (-not (Test-Path -LiteralPath (Join-Path $inFlight[0].FullName 'zarr.json'))) { break }
                if ($pids) { & kill -CONT @pids }
            }
            Start-Sleep -Milliseconds 100
        }
        [pscustomobject]@{ Work = $work; Files = $files; Archive = $archive; Out = $out; Job = $job }
    }
    # Waits for an array job submitted with sbatch --parsable; returns its tasks' states and exit codes.
    function Wait-SlurmJob([string] $JobId, [int] $Seconds = 180) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ($clock.Elapsed.TotalSeconds -lt $Seconds) {
            if (-not (& squeue -h -j $JobId 2>$null)) { break }
            Start-Sleep -Milliseconds 200
        }
        # Finished jobs stay known to slurmctld for MinJobAge (300 s): their ExitCode per task.
        @(& scontrol -o show job $JobId) | ForEach-Object {
            [pscustomobject]@{
                Task = [regex]::Match($_, 'ArrayTaskId=(\d+)').Groups[1].Value
                State = [regex]::Match($_, 'JobState=(\S+)').Groups[1].Value
                ExitCode = [regex]::Match($_, 'ExitCode=(\d+):').Groups[1].Value
                Line = $_
            }
        }
    }
    if (-not $Skip) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $script:TimeLimited = Submit-TimeLimitedImport
        Write-Host "The time-limited job was stopped mid-import $([int]$clock.Elapsed.TotalSeconds) s after it was submitted."
    }
}

AfterAll {
    if (-not $Skip) { & bash (Join-Path $RepoRoot 'tests/servers/slurm-cluster.sh') stop $Cluster }
    if ($Root) { Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue }
    Remove-Item Env:SLURM_CONF, Env:ZARRAUDIO_HOME, Env:DOTNET_TieredCompilation -ErrorAction SilentlyContinue
}

Describe 'The Slurm examples as real array jobs' {
    It 'imports a file list with awkward names across a 2-task array, every file once, then again with nothing changed' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $work = New-TestFolder 'import job'
        $names = 'plain.wav', 'with space.wav', "quote's.wav", 'double"quote.wav', 'brackets [1].wav', 'dollar $HOME.wav'
        $files = foreach ($i in 0..5) { New-TestWav (Join-Path $work $names[$i]) -Rate 8000 -Seconds (1 + $i / 10) }
        [IO.File]::WriteAllLines((Join-Path $work 'files.txt'), [string[]]$files)
        $archive = Join-Path $work 'archive'
        $null = Mount-ZarrAudio -Path $archive -Create
        Dismount-ZarrAudio -All
        $job = & sbatch --parsable --array=0-1 "--chdir=$work" "--output=$(Join-Path $work 'import-%a.out')" "--error=$(Join-Path $work 'import-%a.err')" `
            (Join-Path $RepoRoot 'examples/slurm-import.sh') files.txt $archive (Join-Path $work 'out')
        $LASTEXITCODE | Should -Be 0
        $tasks = Wait-SlurmJob $job
        $tasks.Count | Should -Be 2
        $tasks | ForEach-Object { $_.State | Should -Be 'COMPLETED' -Because $_.Line; $_.ExitCode | Should -Be '0' }
        @(Get-Content (Join-Path $work 'import-0.out'))[-1] | Should -Be 'task 0 of 2: 3 files, 3 imported, 0 duplicates, 0 failed'
        $null = Mount-ZarrAudio -Path $archive
        $all = @(Get-RecordingMeta)
        @($all.SourcePath | Sort-Object) | Should -Be @($files | Sort-Object)
        @(Test-Recording | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        Dismount-ZarrAudio -All
        # Again: every file is a duplicate, reported, and the archive is unchanged.
        $again = & sbatch --parsable --array=0-1 "--chdir=$work" "--output=$(Join-Path $work 'again-%a.out')" (Join-Path $RepoRoot 'examples/slurm-import.sh') files.txt $archive (Join-Path $work 'out2')
        (Wait-SlurmJob $again) | ForEach-Object { $_.ExitCode | Should -Be '0' }
        @(Get-Content (Join-Path $work 'again-1.out'))[-1] | Should -Be 'task 1 of 2: 3 files, 0 imported, 3 duplicates, 0 failed'
        $null = Mount-ZarrAudio -Path $archive
        @(Get-RecordingMeta).Count | Should -Be 6
        Dismount-ZarrAudio -All
    }

    It 'reads a label list across a 3-task array, each file equal to a single-process read' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $work = New-TestFolder 'read job'
        $archive = Join-Path $work 'archive'
        $null = Mount-ZarrAudio -Path $archive -Create
        foreach ($i in 0..2) { $null = Import-Recording -LiteralPath (New-TestWav (Join-Path $work "r$i.wav") -Rate 8000 -Channels 2 -Seconds 1) }
        'id,start,count,label', '1,100,800,owl', '2,0,400,wind', '3,50,10,frog', '1,4000,2000,owl' | Set-Content -LiteralPath (Join-Path $work 'labels.csv')
        $job = & sbatch --parsable --array=0-2 "--chdir=$work" "--output=$(Join-Path $work 'read-%a.out')" (Join-Path $RepoRoot 'examples/slurm-read.sh') labels.csv $archive (Join-Path $work 'out')
        (Wait-SlurmJob $job) | ForEach-Object { $_.State | Should -Be 'COMPLETED' -Because $_.Line }
        @(Get-Content (Join-Path $work 'read-0.out'))[-1] | Should -Be 'task 0 of 3: 2 rows written, 0 failed'
        $rows = Import-Csv (Join-Path $work 'labels.csv')
        for ($r = 0; $r -lt $rows.Count; $r++) {
            $l = $rows[$r]
            $block = Read-Samples -Id $l.id -Start $l.start -Count $l.count -AsSingle
            $expected = [byte[]]::new($block.Samples.Length * 4)
            [Buffer]::BlockCopy($block.Samples, 0, $expected, 0, $expected.Length)
            $file = Join-Path $work "out/$($r)_$($l.id)_$($l.label).f32"
            (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash | Should -Be ([BitConverter]::ToString([Security.Cryptography.SHA256]::HashData($expected)) -replace '-')
        }
        Dismount-ZarrAudio -All
    }
}

Describe 'The Slurm examples on object storage' {
    BeforeAll {
        if (-not $Skip) { $script:Azure = Start-TestServer azure (Join-Path $TestDrive 'azurite') }
    }
    AfterAll {
        if (-not $Skip) { Stop-TestServer $Azure }
        Remove-Item Env:AZURE_STORAGE_CONNECTION_STRING -ErrorAction SilentlyContinue
    }

    It 'imports into an Azure archive with the credentials only in the environment: not in the job, its output or its files' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $work = New-TestFolder 'azure job'
        $files = foreach ($i in 0..3) { New-TestWav (Join-Path $work "a$i.wav") -Rate 8000 -Seconds 1 }
        [IO.File]::WriteAllLines((Join-Path $work 'files.txt'), [string[]]$files)
        $location = "az://devstoreaccount1/archive/$([guid]::NewGuid().ToString('N'))"
        $null = Mount-ZarrAudio $location -Create -ConnectionString $Azure.ConnectionString
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azure.ConnectionString
        $job = & sbatch --parsable --array=0-1 "--chdir=$work" "--output=$(Join-Path $work 'azure-%a.out')" "--error=$(Join-Path $work 'azure-%a.err')" `
            (Join-Path $RepoRoot 'examples/slurm-import.sh') files.txt $location (Join-Path $work 'out')
        $tasks = Wait-SlurmJob $job
        $tasks | ForEach-Object { $_.State | Should -Be 'COMPLETED' -Because $_.Line }
        @(Get-RecordingMeta).Count | Should -Be 4
        # The account key is in the connection string; nothing the scheduler or the job wrote may hold it.
        $key = [regex]::Match($Azure.ConnectionString, 'AccountKey=([^;]+)').Groups[1].Value
        $key.Length | Should -BeGreaterThan 20
        ($tasks.Line -join "`n").Contains($key) | Should -BeFalse
        foreach ($file in Get-ChildItem -LiteralPath $work -Recurse -File -Include *.out, *.err, *.csv) {
            [IO.File]::ReadAllText($file.FullName).Contains($key) | Should -BeFalse -Because $file.Name
        }
    }
}

Describe 'Import tasks killed through the scheduler' {
    It 'leaves nothing readers see when a task is cancelled; a follow-up repair job cleans up; the job run again finishes the work once' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $work = New-TestFolder 'cancelled job'
        # Four files of 4 min at 48 kHz stereo: long enough to cancel a task in the middle of an import.
        $files = foreach ($i in 0..3) { New-TestWav (Join-Path $work "long $i.wav") -Rate 48000 -Channels 2 -Seconds 240 }
        [IO.File]::WriteAllLines((Join-Path $work 'files.txt'), [string[]]$files)
        $archive = Join-Path $work 'archive'
        $null = Mount-ZarrAudio -Path $archive -Create
        Dismount-ZarrAudio -All
        $job = & sbatch --parsable --array=0-1 "--chdir=$work" "--output=$(Join-Path $work 'import-%a.out')" (Join-Path $RepoRoot 'examples/slurm-import.sh') files.txt $archive (Join-Path $work 'out')
        # Cancel once an import has claimed its id (its data is being written, nothing is committed yet).
        for ($i = 0; $i -lt 300 -and -not (Get-ChildItem -Path (Join-Path $archive '*/claim.json') -ErrorAction SilentlyContinue); $i++) { Start-Sleep -Milliseconds 100 }
        & scancel $job
        $tasks = Wait-SlurmJob $job
        $tasks | ForEach-Object { $_.State | Should -Be 'CANCELLED' -Because $_.Line }
        $null = Mount-ZarrAudio -Path $archive
        $seen = @(Get-RecordingMeta)
        $seen.Count | Should -BeLessThan 4
        @(Test-Recording | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        Dismount-ZarrAudio -All
        # The follow-up job: after the array, however it ended.
        $repair = & sbatch --parsable "--dependency=afterany:$job" "--chdir=$work" "--output=$(Join-Path $work 'repair.out')" (Join-Path $RepoRoot 'examples/slurm-repair.sh') $archive
        (Wait-SlurmJob $repair).State | Should -Be 'COMPLETED'
        @(Get-Content (Join-Path $work 'repair.out'))[-1] | Should -Match '^repair: [1-9]\d* item\(s\) removed$'
        # Run again: what was committed is reported as duplicates, the rest imported; every file once.
        $again = & sbatch --parsable --array=0-1 "--chdir=$work" "--output=$(Join-Path $work 'again-%a.out')" (Join-Path $RepoRoot 'examples/slurm-import.sh') files.txt $archive (Join-Path $work 'out2')
        (Wait-SlurmJob $again) | ForEach-Object { $_.ExitCode | Should -Be '0' -Because $_.Line }
        $null = Mount-ZarrAudio -Path $archive
        @(Get-RecordingMeta).SourcePath | Sort-Object | Should -Be @($files | Sort-Object)
        @(Test-Recording | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        # All that is left to tidy is the claim of the id the cancelled import held (kept until a higher id existed,
        # so ids are never reused): no data, no hash claim, no lock.
        @(Repair-ZarrAudio -Confirm:$false | Where-Object Kind -NE 'UnusedIdClaim') | Should -BeNullOrEmpty
        Dismount-ZarrAudio -All
    }
}

Describe 'Import tasks past their time limit, then requeued' {
    It 'leaves nothing readers see when --time runs out; requeued, the task takes over its dead claim and finishes the work once' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $work, $files, $archive, $out, $job = $TimeLimited.Work, $TimeLimited.Files, $TimeLimited.Archive, $TimeLimited.Out, $TimeLimited.Job
        $timedOut = Wait-SlurmJob $job -Seconds 240
        $timedOut.State | Should -Be 'TIMEOUT' -Because $timedOut.Line
        Get-Content -LiteralPath $out -Raw | Should -Match 'DUE TO TIME LIMIT'
        $null = Mount-ZarrAudio -Path $archive
        $before = @(Get-RecordingMeta)
        $before.Count | Should -BeLessThan 5
        @(Test-Recording | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        Dismount-ZarrAudio -All
        # Requeued as it was (same task, same list), with more time: what was committed is a duplicate, the file the
        # killed run held is taken over (its importer is dead on this host), the rest is imported.
        & scontrol requeue $job
        $LASTEXITCODE | Should -Be 0
        & scontrol update "JobId=$job" TimeLimit=10
        $rerun = Wait-SlurmJob $job -Seconds 240
        $rerun.State | Should -Be 'COMPLETED' -Because $rerun.Line
        $rerun.Line | Should -Match 'Restarts=1'
        @(Get-Content -LiteralPath $out)[-1] | Should -Be "task 0 of 1: 5 files, $(5 - $before.Count) imported, $($before.Count) duplicates, 0 failed"
        $null = Mount-ZarrAudio -Path $archive
        @(Get-RecordingMeta).SourcePath | Sort-Object | Should -Be @($files | Sort-Object)
        @(Test-Recording | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        Dismount-ZarrAudio -All
        # The follow-up repair removes what the killed run left: its uncommitted recording's claim and data.
        $repair = & sbatch --parsable "--dependency=afterany:$job" "--chdir=$work" "--output=$(Join-Path $work 'repair.out')" (Join-Path $RepoRoot 'examples/slurm-repair.sh') $archive
        (Wait-SlurmJob $repair).State | Should -Be 'COMPLETED'
        @(Get-Content (Join-Path $work 'repair.out'))[-1] | Should -Match '^repair: [1-9]\d* item\(s\) removed$'
        $null = Mount-ZarrAudio -Path $archive
        @(Get-RecordingMeta).Count | Should -Be 5
        Dismount-ZarrAudio -All
    }
}

