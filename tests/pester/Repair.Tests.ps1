BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Set-Old([string] $Path) { (Get-Item -LiteralPath $Path -Force).LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-1) }
}

# Issue 9, item 6 and the Repair-ZarrAudio cmdlet: leftovers of killed work that nothing removed.
Describe 'Repair-ZarrAudio' {
    BeforeAll {
        $source = New-TestWav (Join-Path $TestDrive 'long.wav') -Rate 48000 -Channels 2 -Seconds 60
    }

    It 'finds what an import killed in another process left when this session mounted the archive before the kill' {
        $folder = Join-Path $TestDrive 'mounted-before'
        $null = Mount-ZarrAudio -Path $folder -Create
        $null = Import-Recording -Samples ([int16[]](1..800)) -SampleRate 8000 -Name kept
        $null = Invoke-KilledAt -Folder $folder -Script "Import-Recording -LiteralPath '$source'" -Calls 'rename,renameat,renameat2' -When 3
        # The store as it is now, not as it was at mount: the killed import's data and hash claim are found.
        $found = Repair-ZarrAudio -Confirm:$false
        ($found | Where-Object Kind -eq 'UncommittedData').Id | Should -Be 2
        @($found | Where-Object Kind -eq 'StaleHashClaim').Count | Should -Be 1
        (Get-RecordingMeta).SourceName | Should -Be 'kept'
        Dismount-ZarrAudio
    }

    It 'finds and removes what an import killed at its third rename left, after -WhatIf changed nothing' {
        $folder = Join-Path $TestDrive 'killed-import'
        $null = Invoke-KilledAt -Folder $folder -Create -Script "Import-Recording -LiteralPath '$source'" -Calls 'rename,renameat,renameat2' -When 3
        Get-ChildItem -LiteralPath $folder -Directory | ForEach-Object Name | Should -Contain '1' # killed during the import
        $temp = Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '.zarraudio-tmp-*'
        $temp | Should -Not -BeNullOrEmpty
        $temp | ForEach-Object { Set-Old $_.FullName }
        $null = Mount-ZarrAudio -Path $folder
        Get-RecordingMeta | Should -BeNullOrEmpty

        $before = @(Get-ChildItem -LiteralPath $folder -Recurse -Force -File).Count
        Repair-ZarrAudio -WhatIf | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $folder -Recurse -Force -File).Count | Should -Be $before

        $repaired = Repair-ZarrAudio -Confirm:$false
        $repaired.Kind | ForEach-Object { "$_" } | Sort-Object -Unique | Should -Be @('StaleHashClaim', 'StoreLeftover', 'UncommittedData')
        ($repaired | Where-Object Kind -eq 'UncommittedData').Id | Should -Be 1
        Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '.zarraudio-tmp-*' | Should -BeNullOrEmpty
        # Only the id's claim stays (it is the highest id, and ids are never reused); the source imports again: not a duplicate.
        Get-ChildItem -LiteralPath (Join-Path $folder '1') -Force | ForEach-Object Name | Should -Be 'claim.json'
        (Import-Recording -LiteralPath $source).Id | Should -Be 2
        # With a higher id, the stub of id 1 is no longer needed to keep ids unique: repair removes it.
        $stub = Repair-ZarrAudio
        $stub.Kind | Should -Be 'UnusedIdClaim'
        $stub.Id | Should -Be 1
        Join-Path $folder '1' | Should -Not -Exist
        Repair-ZarrAudio | Should -BeNullOrEmpty
        (Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000).Id | Should -Be 3
        Dismount-ZarrAudio
    }

    It 'removes the metadata lock of a killed Set-RecordingMeta, and Set works again' {
        $folder = Join-Path $TestDrive 'killed-set'
        $null = Mount-ZarrAudio -Path $folder -Create
        $null = Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000
        Dismount-ZarrAudio
        # The set takes the lock (a link), then marks the change pending in the catalog (a rename; zarr.json comes
        # after): killed at that rename. strace counts calls per thread, so only a first rename is a sure target. The
        # signal is acted on as the call returns: the marker may have been renamed into place, or left as a temporary file.
        $null = Invoke-KilledAt -Folder $folder -Script "Set-RecordingMeta -Id 1 -UserMeta @{ a = 1 }" -Calls 'rename,renameat,renameat2' -When 1
        Join-Path $folder '1/lock.json' | Should -Exist
        Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '.zarraudio-tmp-*' | ForEach-Object { Set-Old $_.FullName }
        $null = Mount-ZarrAudio -Path $folder
        $kinds = @((Repair-ZarrAudio).Kind | ForEach-Object { "$_" } | Sort-Object -Unique)
        $kinds | Should -Contain 'StaleLock'
        @($kinds | Where-Object { $_ -notin 'StaleLock', 'PendingCatalogChange', 'StoreLeftover' }) | Should -BeNullOrEmpty
        Join-Path $folder '1/lock.json' | Should -Not -Exist
        Join-Path $folder 'catalog/pending/1' | Should -Not -Exist
        @(Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '.zarraudio-tmp-*') | Should -BeNullOrEmpty
        Repair-ZarrAudio | Should -BeNullOrEmpty
        (Get-RecordingMeta -Id 1).User.a | Should -BeNullOrEmpty
        Set-RecordingMeta -Id 1 -UserMeta @{ b = 2 }
        (Get-RecordingMeta -Id 1).User.b | Should -Be 2
        Dismount-ZarrAudio
    }

    It 'leaves a live import alone' {
        $folder = Join-Path $TestDrive 'live'
        $null = Mount-ZarrAudio -Path $folder -Create
        Dismount-ZarrAudio
        $out = Join-Path $TestDrive 'live.out'
        $script = "Import-Module '$Manifest'; Mount-ZarrAudio -Path '$folder' | Out-Null; Import-Recording -LiteralPath '$source' -ThrottleLimit 1; 'done'"
        $worker = Start-Process -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -PassThru -RedirectStandardOutput $out
        try {
            $deadline = (Get-Date).AddSeconds(30)
            while (-not (Test-Path -LiteralPath (Join-Path $folder '1/flac0/c/0')) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $null = Mount-ZarrAudio -Path $folder
            $found = Repair-ZarrAudio -WhatIf:$false -Confirm:$false
            $found | Where-Object Id -eq 1 | Should -BeNullOrEmpty
        }
        finally { $worker.WaitForExit(); Dismount-ZarrAudio -All }
        $null = Mount-ZarrAudio -Path $folder -ReadOnly
        (Get-RecordingMeta -Id 1).SampleCount | Should -Be (48000 * 60)
        Dismount-ZarrAudio
    }
}

Describe 'Empty folders of killed writes' {
    It 'are removed once ten minutes old, and nothing else is' {
        $folder = Join-Path $TestDrive 'empty-folders'
        $null = Mount-ZarrAudio -Path $folder -Create
        $null = Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000
        # A write killed between making its folder and its temporary file.
        $empty = New-Item -ItemType Directory -Path (Join-Path $folder '1/flac0/c/7')
        $fresh = New-Item -ItemType Directory -Path (Join-Path $folder '1/frames0/c/9')
        $empty.LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-1)
        $found = Repair-ZarrAudio
        $found.Kind | Should -Be 'StoreLeftover'
        $found.Detail | Should -Match 'empty folder'
        $empty.FullName | Should -Not -Exist
        $fresh.FullName | Should -Exist
        (Test-Recording -Id 1).IsValid | Should -BeTrue
        Dismount-ZarrAudio
    }

    It 'removes a temporary file whose writer is gone at once, and says which young ones it leaves' {
        $folder = Join-Path $TestDrive 'temp-files'
        $null = Mount-ZarrAudio -Path $folder -Create
        $null = Import-Recording -Samples ([int16[]](1..800)) -SampleRate 8000 -Name kept
        # Named as this store names them: pid, host tag, unique part. A process that has exited wrote the first.
        $gone = Start-Process -FilePath true -PassThru; $gone.WaitForExit()
        $hostName = if ($env:ZARRAUDIO_HOST) { $env:ZARRAUDIO_HOST } else { [Environment]::MachineName }
        $tag = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($hostName))).Substring(0, 8).ToLowerInvariant()
        $orphan = Join-Path $folder "1/.zarraudio-tmp-$($gone.Id).$tag.$('c' * 32)"
        $unknown = Join-Path $folder "1/.zarraudio-tmp-$('d' * 32)"
        Set-Content -LiteralPath $orphan -Value 'half a shard'
        Set-Content -LiteralPath $unknown -Value 'a write of a writer that does not say who it is'
        $found = Repair-ZarrAudio -WarningVariable warned -Verbose 4>&1
        $items = @($found | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
        $items.Target | Should -Be @($orphan)
        $items.Detail | Should -Match 'is gone'
        $orphan | Should -Not -Exist
        $unknown | Should -Exist
        $warned | Should -Match '1 temporary file\(s\) left'
        @($found | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like "Left: $unknown*" }).Count | Should -Be 1
        (Test-Recording -Id 1).IsValid | Should -BeTrue
        Dismount-ZarrAudio
    }
}

Describe 'Export leftovers' {
    It 'removes the hidden partial files that killed exports left in the folder' {
        $out = New-TestFolder 'exports'
        $stale = Join-Path $out ('.clip.999999-' + ('a' * 32) + '.partial.wav')
        Set-Content -LiteralPath $stale -Value 'half an export'
        Set-Old $stale
        $mine = Join-Path $out ('.clip.' + $PID + '-' + ('b' * 32) + '.partial.wav')
        Set-Content -LiteralPath $mine -Value 'an export of a live process'
        Set-Old $mine
        $null = Mount-ZarrAudio -Uri 'memory://export-leftovers' -Create
        $null = Import-Recording -Samples ([int16[]](1..800)) -SampleRate 8000 -Name clip
        $null = Export-Recording -Id 1 -Destination $out
        $stale | Should -Not -Exist
        $mine | Should -Exist
        Dismount-ZarrAudio
    }
}

Describe 'A segment-set writer killed midway' {
    It 'leaves the set as it was, and Repair-ZarrAudio removes its rows and its lock' {
        $folder = Join-Path $TestDrive 'killed-set'
        $null = Mount-ZarrAudio -Path $folder -Create
        $null = Import-Recording -Samples ([int16[]](1..800)) -SampleRate 8000 -Name kept
        $null = [pscustomobject]@{ Id = 1; Start = 0; Count = 10; k = 'before' } | New-SegmentSet -Name s
        $null = Invoke-KilledAt -Folder $folder -Script "[pscustomobject]@{ Id = 1; Start = 20; Count = 10; k = 'after' } | Add-Segment -Set s" -Calls 'rename,renameat,renameat2' -When 6
        (Get-Segment -Set s).k | Should -Be 'before'
        $found = Repair-ZarrAudio -Confirm:$false
        # The killed rename's temporary file is a store leftover of its own.
        $kinds = $found.Kind | ForEach-Object ToString
        $kinds | Should -Contain 'SegmentSetLeftover'
        $kinds | Should -Contain 'StaleLock'
        Repair-ZarrAudio -Confirm:$false | Should -BeNullOrEmpty
        $null = [pscustomobject]@{ Id = 1; Start = 20; Count = 10; k = 'after' } | Add-Segment -Set s
        (Get-Segment -Set s).k | Should -Be @('before', 'after')
        Dismount-ZarrAudio
    }
}
