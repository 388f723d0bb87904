BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # Small and read-only file systems need mount(8) (root, or a container that allows it); skipped with a reason otherwise.
    function Mount-Fs([string] $Target, [string[]] $Arguments) {
        $null = New-Item -ItemType Directory -Path $Target -Force
        & mount @Arguments $Target 2>&1 | Out-Null
        $LASTEXITCODE -eq 0
    }
}

# Issue 9, "Errors that say what happened": a full disk said FileExists "No space left on device"; a read-only
# file system said FileExists on import and threw a raw terminating IOException on set and remove.
Describe 'A full disk' {
    BeforeAll {
        $full = Join-Path $TestDrive 'small'
        $script:Mounted = Mount-Fs $full @('-t', 'tmpfs', '-o', 'size=4m', 'tmpfs')
        $big = New-TestWav (Join-Path $TestDrive 'big.wav') -Rate 48000 -Channels 2 -Seconds 60
    }
    AfterAll { Dismount-ZarrAudio -All; if ($Mounted) { & umount $full } }

    It 'is a DiskFull error that loses nothing stored before, and gives its space back' {
        if (-not $Mounted) { Set-ItResult -Skipped -Because 'a 4 MiB tmpfs cannot be mounted here (mount needs root)'; return }
        $null = Mount-ZarrAudio -Path (Join-Path $full 'a') -Create
        $first = Import-Recording -Samples ([int16[]](1..8000)) -SampleRate 8000 -Name first
        $freeBefore = [IO.DriveInfo]::new($full).AvailableFreeSpace
        Import-Recording -LiteralPath $big -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $e[0] | Should -Be 'DiskFull'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $e[0].Exception.Message | Should -Match 'disk is full'
        (Get-RecordingMeta).Id | Should -Be $first.Id
        (Read-Samples -Id $first.Id -Start 7990 -Count 10).Channel[0] | Should -Be (7991..8000)
        # The failed import's data was discarded: the space is free again (within a few KiB of claims).
        [IO.DriveInfo]::new($full).AvailableFreeSpace | Should -BeGreaterThan ($freeBefore - 64KB)
    }
}

Describe 'A read-only file system' {
    BeforeAll {
        $source = Join-Path $TestDrive 'rw'
        $null = Mount-ZarrAudio -Path (Join-Path $source 'a') -Create
        $null = Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000 -Name kept
        Dismount-ZarrAudio
        $null = Mount-ZarrAudio -Path (Join-Path $source 'z.zip') -Create
        $null = Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000 -Name zipped
        Dismount-ZarrAudio
        $ro = Join-Path $TestDrive 'ro'
        $script:Mounted = (Mount-Fs $ro @('--bind', $source)) -and (Mount-Fs $ro @('-o', 'remount,bind,ro'))
    }
    AfterAll { Dismount-ZarrAudio -All; if ($Mounted) { & umount $ro } }

    It 'says FileSystemReadOnly for import, set and remove, non-terminating, and still reads' {
        if (-not $Mounted) { Set-ItResult -Skipped -Because 'a read-only bind mount is not allowed here (mount needs root)'; return }
        $null = Mount-ZarrAudio -Path (Join-Path $ro 'a')
        $e = @()
        Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -ErrorVariable +e -ErrorAction SilentlyContinue
        Set-RecordingMeta -Id 1 -UserMeta @{ x = 1 } -ErrorVariable +e -ErrorAction SilentlyContinue
        Remove-Recording -Id 1 -Confirm:$false -ErrorVariable +e -ErrorAction SilentlyContinue
        $e | ForEach-Object { Get-ErrorId $_ } | Should -Be @('FileSystemReadOnly', 'FileSystemReadOnly', 'FileSystemReadOnly')
        $e | ForEach-Object { $_.CategoryInfo.Category } | Select-Object -Unique | Should -Be 'PermissionDenied'
        $e[0].Exception.Message | Should -Match 'read-only'
        (Get-RecordingMeta).SourceName | Should -Be 'kept'
        (Read-Samples -Id 1 -Start 90 -Count 10).Channel[0] | Should -Be (91..100)
    }

    It 'refuses to mount a zip there for writing with FileSystemReadOnly, saying to use -ReadOnly, which reads it' {
        if (-not $Mounted) { Set-ItResult -Skipped -Because 'a read-only bind mount is not allowed here (mount needs root)'; return }
        $zip = Join-Path $ro 'z.zip'
        $e = $null
        try { Mount-ZarrAudio -Path $zip -ErrorAction Stop } catch { $e = $_ }
        Get-ErrorId $e | Should -Be 'FileSystemReadOnly'
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e.Exception.Message | Should -Match 'read-only file system'
        $e.Exception.Message | Should -Match '-ReadOnly'
        $null = Mount-ZarrAudio -Path $zip -ReadOnly
        (Get-RecordingMeta).SourceName | Should -Be 'zipped'
        Dismount-ZarrAudio
    }
}

Describe 'Paths of the wrong kind' {
    It 'says PathIsFile when Mount-ZarrAudio is given a regular file' {
        $file = Join-Path $TestDrive 'notes.txt'
        Set-Content -LiteralPath $file -Value 'text'
        $e = { Mount-ZarrAudio -Path $file } | Should -Throw -ErrorId 'PathIsFile,*' -PassThru
        $e.Exception.Message | Should -Match 'is a file'
    }

    It 'says PathIsFolder when Import-Recording is given a folder' {
        $null = Mount-ZarrAudio -Uri 'memory://folders' -Create
        $folder = New-TestFolder 'a folder'
        Import-Recording -LiteralPath $folder -ErrorVariable e -ErrorAction SilentlyContinue
        Import-Recording -Path $folder -ErrorVariable +e -ErrorAction SilentlyContinue
        $e | ForEach-Object { Get-ErrorId $_ } | Should -Be @('PathIsFolder', 'PathIsFolder')
        $e[0].Exception.Message | Should -Match 'is a folder'
        Dismount-ZarrAudio
    }
}
