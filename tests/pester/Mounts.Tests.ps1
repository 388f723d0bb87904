BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# Issue 8, item 2: a .zip archive lost every import when the session ended (or the module was removed)
# without Dismount-ZarrAudio, although the imports reported success.
Describe 'A zip archive stores what a cmdlet reported' {
    It 'has the import in the zip file as soon as Import-Recording returns' {
        $zip = Join-Path $TestDrive 'now.zip'
        $null = Mount-ZarrAudio -Path $zip -Create
        $r = Import-Recording -Samples ([int16[]](1..4000)) -SampleRate 8000 -Name first
        $r.Id | Should -Be 1
        # A copy of the file as it is on disk now, mounted read-only, holds the recording.
        Copy-Item -LiteralPath $zip -Destination (Join-Path $TestDrive 'copy.zip')
        $copy = Mount-ZarrAudio -Path (Join-Path $TestDrive 'copy.zip') -ReadOnly
        (Get-RecordingMeta -Archive $copy).SourceName | Should -Be 'first'
        (Read-Samples -Archive $copy -Id 1 -Start 3990 -Count 10).Channel[0] | Should -Be (3991..4000)
        Dismount-ZarrAudio -All
    }

    It 'keeps imports, set and remove of a pwsh process killed without Dismount-ZarrAudio' {
        $zip = Join-Path $TestDrive 'killed.zip'
        $script = @"
Import-Module '$Manifest'
Mount-ZarrAudio -Path '$zip' -Create | Out-Null
Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000 -Name a | Out-Null
Import-Recording -Samples ([int16[]](1..200)) -SampleRate 8000 -Name b | Out-Null
Set-RecordingMeta -Id 2 -UserMeta @{ species = 'Strix aluco' }
Remove-Recording -Id 1 -Confirm:`$false
'ready'
Start-Sleep -Seconds 60
"@
        $child = Start-Process -FilePath (Join-Path $PSHOME 'pwsh') -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -PassThru -RedirectStandardOutput (Join-Path $TestDrive 'child.txt')
        $deadline = (Get-Date).AddSeconds(60)
        while (-not ((Get-Content -LiteralPath (Join-Path $TestDrive 'child.txt') -ErrorAction SilentlyContinue) -match 'ready') -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
        # Kill the process that does the work (pwsh started from $PSHOME is the real one, not the tool shim).
        Stop-Process -Id $child.Id -Force
        $child.WaitForExit()
        $archive = Mount-ZarrAudio -Path $zip -ReadOnly
        $all = @(Get-RecordingMeta -Archive $archive)
        $all.Id | Should -Be @(2)
        $all[0].User.species | Should -Be 'Strix aluco'
        (Read-Samples -Archive $archive -Id 2).SampleCount | Should -Be 200
        Dismount-ZarrAudio -All
    }

    It 'writes the zip when the module is removed' {
        $zip = Join-Path $TestDrive 'removed.zip'
        $pwsh = Join-Path $PSHOME 'pwsh'
        & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$Manifest'; Mount-ZarrAudio -Path '$zip' -Create | Out-Null; Remove-Module ZarrAudio"
        $zip | Should -Exist
        $archive = Mount-ZarrAudio -Path $zip -ReadOnly
        @(Get-RecordingMeta -Archive $archive).Count | Should -Be 0
        Dismount-ZarrAudio -All
    }
}

# Issue 8, item 7: which archive is the default was hard to follow.
Describe 'Mounts and the default archive' {
    AfterEach { Dismount-ZarrAudio -All }

    It 'lists mounts with Get-ZarrAudio and goes back to the earlier default on dismount' {
        $a = Mount-ZarrAudio -Uri 'memory://mounts-a' -Create
        $b = Mount-ZarrAudio -Uri 'memory://mounts-b' -Create
        $list = @(Get-ZarrAudio)
        $list.Location | Should -Be @($a.Location, $b.Location)
        $list.IsDefault | Should -Be @($false, $true)
        Dismount-ZarrAudio
        (Get-ZarrAudio | Where-Object IsDefault).Location | Should -Be $a.Location
        (Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000).Archive.Location | Should -Be $a.Location
    }

    It 'gives the same object for the same store mounted twice' {
        $folder = New-TestFolder
        $first = Mount-ZarrAudio -Path $folder -Create
        $second = Mount-ZarrAudio -Path $folder
        [object]::ReferenceEquals($first, $second) | Should -BeTrue
        @(Get-ZarrAudio).Count | Should -Be 1
    }

    It 'refuses work on a dismounted archive with a named error' {
        $a = Mount-ZarrAudio -Uri 'memory://mounts-gone' -Create
        $null = Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000
        $a | Dismount-ZarrAudio
        $a.IsMounted | Should -BeFalse
        { Import-Recording -Archive $a -Samples ([int16[]](1..10)) -SampleRate 8000 } | Should -Throw -ErrorId 'ArchiveDismounted,*'
        $e = { Read-Samples -Archive $a -Id 1 } | Should -Throw -ErrorId 'ArchiveDismounted,*' -PassThru
        $e.Exception.GetType().Name | Should -Be 'ArchiveDismountedException'
        $e.Exception.Message | Should -Match 'dismounted'
    }

    It 'dismounts everything with -All and on Remove-Module' {
        $null = Mount-ZarrAudio -Uri 'memory://all-1' -Create
        $null = Mount-ZarrAudio -Uri 'memory://all-2' -Create
        Dismount-ZarrAudio -All
        Get-ZarrAudio | Should -BeNullOrEmpty
        $kept = Mount-ZarrAudio -Uri 'memory://all-3' -Create
        Remove-Module ZarrAudio
        $kept.IsMounted | Should -BeFalse
        Import-Module $Manifest
        Get-ZarrAudio | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf on Mount-ZarrAudio -Create and Dismount-ZarrAudio' {
        $folder = Join-Path $TestDrive 'planned'
        Mount-ZarrAudio -Path $folder -Create -WhatIf | Should -BeNullOrEmpty
        $folder | Should -Not -Exist
        Get-ZarrAudio | Should -BeNullOrEmpty
        $a = Mount-ZarrAudio -Uri 'memory://whatif-dismount' -Create
        Dismount-ZarrAudio -WhatIf
        $a.IsMounted | Should -BeTrue
    }

    It 'keeps each runspace''s mounts its own' {
        $null = Mount-ZarrAudio -Uri 'memory://runspace-main' -Create
        $inner = 1 | ForEach-Object -Parallel {
            Import-Module $using:Manifest
            @(Get-ZarrAudio).Count
        }
        $inner | Should -Be 0
    }
}
