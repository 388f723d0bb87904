BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # An strace -f log as events in order: Flush (fsync/fdatasync, with the path its descriptor was opened with),
    # Publish (rename or link: From, To), Unlink, and Marker (a file the traced script creates after each cmdlet
    # returns, i.e. once the cmdlet has reported). Child processes (ffmpeg) are left out: their descriptors are theirs.
    function Read-Trace([string] $Log, [string] $MarkerFolder) {
        $lines = [Collections.Generic.List[object]]::new()
        $pending = @{}
        foreach ($line in [IO.File]::ReadLines($Log)) {
            if ($line -notmatch '^(\d+)\s+(.*)$') { continue }
            $tid, $text = $Matches[1], $Matches[2]
            if ($text -match '^(.*) <unfinished \.\.\.>$') { $pending[$tid] = $Matches[1]; continue }
            if ($text -match '^<\.\.\. \w+ resumed>(.*)$') { $text = $pending[$tid] + $Matches[1]; $pending.Remove($tid) }
            $lines.Add([pscustomobject]@{ Tid = $tid; Text = $text })
        }
        $children = [Collections.Generic.HashSet[string]]::new()
        foreach ($l in $lines) {
            if ($l.Text -match '^(clone3?|vfork|fork)\((.*)\)\s+=\s+(\d+)$' -and $Matches[2] -notmatch 'CLONE_THREAD') { $null = $children.Add($Matches[3]) }
            if ($l.Text -match '^execve\(') { $null = $children.Add($l.Tid) }
        }
        $fds = @{}
        $events = [Collections.Generic.List[object]]::new()
        foreach ($l in $lines) {
            if ($children.Contains($l.Tid)) { continue }
            $t = $l.Text
            if ($t -match '^openat\(AT_FDCWD, "([^"]+)", ([^)]*)\)\s+=\s+(\d+)') {
                $fds[$Matches[3]] = $Matches[1]
                if ($Matches[1].StartsWith($MarkerFolder) -and $Matches[2] -match 'O_CREAT') { $events.Add([pscustomobject]@{ Kind = 'Marker'; Path = $Matches[1] }) }
            }
            elseif ($t -match '^close\((\d+)\)\s+=\s+0') { $fds.Remove($Matches[1]) }
            elseif ($t -match '^f(data)?sync\((\d+)\)\s+=\s+0') { $events.Add([pscustomobject]@{ Kind = 'Flush'; Path = $fds[$Matches[2]] }) }
            elseif ($t -match '^(rename|link)\("([^"]+)", "([^"]+)"\)\s+=\s+0' -or $t -match '^(renameat2?|linkat)\(AT_FDCWD, "([^"]+)", AT_FDCWD, "([^"]+)".*\)\s+=\s+0') {
                $events.Add([pscustomobject]@{ Kind = 'Publish'; From = $Matches[2]; Path = $Matches[3] })
            }
            elseif ($t -match '^unlink(at)?\((AT_FDCWD, )?"([^"]+)".*\)\s+=\s+0') { $events.Add([pscustomobject]@{ Kind = 'Unlink'; Path = $Matches[3] }) }
        }
        , $events.ToArray()
    }

    # SHA-256 of a sample array's bytes (int16[] or int16[,]): compares 2 million samples at once.
    function Get-SampleHash([Array] $Samples) {
        $bytes = [byte[]]::new([Buffer]::ByteLength($Samples))
        [Buffer]::BlockCopy($Samples, 0, $bytes, 0, $bytes.Length)
        [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
    }

    # Every way a key (or a zip file) is published under $Root obeys the order that survives a power cut: its data
    # flushed before the rename or link, its folder flushed after it and before the cmdlet reported. Returns the faults.
    function Test-PublishOrder([object[]] $Events, [string] $Root) {
        $faults = @()
        for ($i = 0; $i -lt $Events.Count; $i++) {
            $e = $Events[$i]
            if ($e.Kind -ne 'Publish' -or -not $e.Path.StartsWith("$Root/")) { continue }
            $flushedBefore = $false
            for ($j = $i - 1; $j -ge 0; $j--) { if ($Events[$j].Kind -eq 'Flush' -and $Events[$j].Path -eq $e.From) { $flushedBefore = $true; break } }
            if (-not $flushedBefore) { $faults += "published unflushed: $($e.Path)" }
            $folder = [IO.Path]::GetDirectoryName($e.Path)
            $flushedAfter = $false
            for ($j = $i + 1; $j -lt $Events.Count -and $Events[$j].Kind -ne 'Marker'; $j++) {
                if ($Events[$j].Kind -eq 'Flush' -and $Events[$j].Path -eq $folder) { $flushedAfter = $true; break }
            }
            if (-not $flushedAfter) { $faults += "folder not flushed before the cmdlet reported: $($e.Path)" }
        }
        $faults
    }
}

# Issue 19: what the archive reported stored survives a power cut. Checked in the order of the system calls.
Describe 'Durable commits' {
    BeforeAll {
        $script:Wavs = 1..3 | ForEach-Object { New-TestWav (Join-Path $TestDrive "d$_.wav") -Rate 48000 -Channels 2 -Seconds 3 }
        $script:Traceable = $null -ne (Get-Command strace -ErrorAction SilentlyContinue)
    }
    AfterAll { Dismount-ZarrAudio -All }

    It 'flushes every key before it is published and its folder after, before each cmdlet reports, the commit last, and un-commits durably before removing data' {
        if (-not $Traceable) { Set-ItResult -Skipped -Because 'strace is not installed'; return }
        $folder = Join-Path $TestDrive 'durable'
        $zip = Join-Path $TestDrive 'durable-zip/archive.zip'
        $markers = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'markers')).FullName
        # Something for Repair-ZarrAudio to remove: an import killed at its third rename.
        $null = Invoke-KilledAt -Folder $folder -Create -Script "Import-Recording -LiteralPath '$($Wavs[2])'" -Calls 'rename,renameat,renameat2' -When 3
        $reported = { param($name) "[IO.File]::Create('$markers/$name').Dispose()" }
        $script = @(
            "Import-Recording -LiteralPath '$($Wavs[0])', '$($Wavs[1])' | Out-Null", (& $reported 'import'),
            "Set-RecordingMeta -Id 3 -UserMeta @{ checked = `$true } | Out-Null", (& $reported 'set'),
            "Remove-Recording -Id 2 -Confirm:`$false", (& $reported 'remove'),
            "Repair-ZarrAudio -Confirm:`$false | Out-Null", (& $reported 'repair'),
            "Import-Recording -Archive `$zip -LiteralPath '$($Wavs[0])' | Out-Null", (& $reported 'zip')
        ) -join '; '
        $log = Join-Path $TestDrive 'durable.strace'
        $setup = "Mount-ZarrAudio -Path '$folder' | Out-Null; Import-Recording -LiteralPath '$($Wavs[2])' -Force | Out-Null; `$zip = Mount-ZarrAudio -Path '$zip' -Create; Mount-ZarrAudio -Path '$folder' | Out-Null"
        $calls = 'openat,close,fsync,fdatasync,rename,renameat,renameat2,link,linkat,unlink,unlinkat,clone,clone3,vfork,fork,execve'
        Invoke-Traced -Setup $setup -Script $script -StraceArguments '-s', '512', '-o', $log, '-e', "trace=$calls" | Should -Be 0
        $events = Read-Trace $log $markers
        @($events | Where-Object Kind -eq 'Marker').Count | Should -Be 5

        Test-PublishOrder $events $folder | Should -BeNullOrEmpty
        Test-PublishOrder $events ([IO.Path]::GetDirectoryName($zip)) | Should -BeNullOrEmpty
        @($events | Where-Object { $_.Kind -eq 'Publish' -and $_.Path -eq $zip }).Count | Should -Be 1

        # The commit: each imported recording's zarr.json is published after every one of its data keys.
        # Ids: 1 is the killed import, 2 the one made before tracing, 3 and 4 the traced imports.
        foreach ($id in 3, 4) {
            $dir = Join-Path $folder $id
            $commit = [array]::FindIndex($events, [Predicate[object]] { param($e) $e.Kind -eq 'Publish' -and $e.Path -eq (Join-Path $dir 'zarr.json') })
            $commit | Should -BeGreaterThan 0
            $late = $events[($commit + 1)..($events.Count - 1)] | Where-Object { $_.Kind -eq 'Publish' -and $_.Path.StartsWith("$dir/") -and $_.Path -notmatch '/(zarr|claim|lock)\.json$' }
            $late | Should -BeNullOrEmpty
        }
        # The removal: recording 2's zarr.json is gone, and that is on the disk, before any of its data is removed.
        $dir = Join-Path $folder 2
        $uncommit = [array]::FindIndex($events, [Predicate[object]] { param($e) $e.Kind -eq 'Unlink' -and $e.Path -eq (Join-Path $dir 'zarr.json') })
        $uncommit | Should -BeGreaterThan 0
        $firstData = [array]::FindIndex($events, $uncommit, [Predicate[object]] { param($e) $e.Kind -eq 'Unlink' -and $e.Path.StartsWith("$dir/") -and $e.Path -notmatch '/(zarr|claim|lock)\.json$' })
        $firstData | Should -BeGreaterThan $uncommit
        @($events[$uncommit..$firstData] | Where-Object { $_.Kind -eq 'Flush' -and $_.Path -eq $dir }).Count | Should -BeGreaterThan 0
    }
}

# What a power cut leaves: the image of a loop-mounted ext4 file system copied while the importer is stopped (SIGSTOP)
# holds only what the kernel wrote to the device (facts of this machine: ext4 writes dirty data back after ~30 s).
Describe 'A power cut during imports' {
    BeforeAll {
        $script:Sources = 1..5 | ForEach-Object { New-TestWav (Join-Path $TestDrive "p$_.wav") -Rate 48000 -Channels 2 -Seconds 20 }
        $script:Disk = Join-Path $TestDrive 'disk.img'
        $script:Live = Join-Path $TestDrive 'live'
        $null = New-Item -ItemType Directory -Path $Live
        & truncate -s 160M $Disk
        & mkfs.ext4 -q -F $Disk 2>&1 | Out-Null
        if ($LASTEXITCODE -eq 0) { & mount -o loop $Disk $Live 2>&1 | Out-Null }
        & mountpoint -q $Live
        $script:Mounted = $LASTEXITCODE -eq 0
    }
    AfterAll { Dismount-ZarrAudio -All; if ($Mounted) { & umount $Live } }

    It 'keeps every recording it reported stored, lists nothing half-written, and repair cleans the rest' {
        if (-not $Mounted) { Set-ItResult -Skipped -Because 'a loop-mounted ext4 image needs mount(8) with loop devices (root)'; return }
        $log = Join-Path $TestDrive 'stored.log'
        $archive = Join-Path $Live 'archive'
        $work = "Import-Module '$Manifest'; Mount-ZarrAudio -Path '$archive' -Create | Out-Null; " +
            (($Sources | ForEach-Object { "`$r = Import-Recording -LiteralPath '$_'; Add-Content -LiteralPath '$log' -Value ('stored ' + `$r.Id + ' $_')" }) -join '; ')
        $worker = Start-Process -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $work -PassThru
        $snapshots = [Collections.Generic.List[object]]::new()
        while (-not $worker.HasExited) {
            & kill -STOP $worker.Id
            $stored = @(Get-Content -LiteralPath $log -ErrorAction SilentlyContinue | ForEach-Object { , ($_ -split ' ', 3) })
            $copy = Join-Path $TestDrive "snap$($snapshots.Count).img"
            & cp --sparse=always $Disk $copy
            & kill -CONT $worker.Id
            $snapshots.Add([pscustomobject]@{ Image = $copy; Stored = $stored })
            Start-Sleep -Milliseconds (Get-Random -Minimum 50 -Maximum 400)
        }
        $worker.ExitCode | Should -Be 0
        @(Get-Content -LiteralPath $log).Count | Should -Be $Sources.Count
        $snapshots.Count | Should -BeGreaterThan 2
        $withStored = @($snapshots | Where-Object { $_.Stored.Count -gt 0 })
        $withStored.Count | Should -BeGreaterThan 0 -Because 'a copy made after an import had returned is what this test is about'

        # At most 8 copies are checked (each is a file system check, a mount and a full verification), spread evenly.
        $picked = if ($snapshots.Count -le 8) { $snapshots } else { 0..7 | ForEach-Object { $snapshots[[int]($_ * ($snapshots.Count - 1) / 7)] } }
        $checked = 0
        foreach ($snap in $picked) {
            $at = Join-Path $TestDrive "at$checked"
            $null = New-Item -ItemType Directory -Path $at
            & e2fsck -fy $snap.Image 2>&1 | Out-Null # replays the journal, as the next boot would
            & mount -o loop $snap.Image $at
            try {
                $copy = Join-Path $at 'archive'
                if ($snap.Stored.Count -eq 0 -and -not (Test-Path -LiteralPath (Join-Path $copy 'zarr.json'))) { $checked++; continue }
                Test-Path -LiteralPath (Join-Path $copy 'zarr.json') | Should -BeTrue -Because "$($snap.Stored.Count) recording(s) were reported stored before copy $checked"
                $a = Mount-ZarrAudio -Path $copy
                # Nothing half-written is listed: every recording there verifies.
                foreach ($r in Get-RecordingMeta -Archive $a) { (Test-Recording -Archive $a -Id $r.Id).IsValid | Should -BeTrue -Because "snapshot $checked lists recording $($r.Id)" }
                # Every recording reported stored before the power cut is there, sample for sample.
                foreach ($s in $snap.Stored) {
                    $block = Read-Samples -Archive $a -Id ([long]$s[1])
                    Get-SampleHash $block.Samples | Should -Be (Get-SampleHash (Get-DecodedInt16 $s[2])) -Because "recording $($s[1]) was reported stored before the copy"
                }
                # What the cut import left is removed: an uncommitted id keeps at most its claim (ids are never reused)
                # and the temporary files of a writer that may still live (younger than 10 minutes).
                Repair-ZarrAudio -Archive $a -Confirm:$false | Out-Null
                $listed = @(Get-RecordingMeta -Archive $a).Id
                Get-ChildItem -LiteralPath $copy -Directory | Where-Object { $_.Name -match '^\d+$' -and [long]$_.Name -notin $listed } |
                    Get-ChildItem -Recurse -File | Where-Object { $_.Name -ne 'claim.json' -and $_.Name -notlike '.zarraudio-tmp-*' } | Should -BeNullOrEmpty
                Dismount-ZarrAudio -Archive $a
            }
            finally { & umount $at }
            $checked++
        }
        $checked | Should -Be @($picked).Count
    }
}
