BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Export-Recording' {
    It 'returns files as Get-Item does, so the default view shows mode, owner and size' {
        $out = New-TestFolder
        $null = Mount-ZarrAudio -Uri 'memory://export-view' -Create
        $null = Import-Recording -Samples ([int16[]](1..800)) -SampleRate 8000 -Name viewed
        $file = Export-Recording -Id 1 -Destination (Join-Path $out 'viewed.wav')
        $file.PSPath | Should -Not -BeNullOrEmpty
        $file.PSProvider.Name | Should -Be 'FileSystem'
        $table = $file | Format-Table | Out-String
        $table | Should -Match ([regex]::Escape((Get-Item -LiteralPath $file.FullName | Format-Table | Out-String).Trim().Split("`n")[-1].Trim()))
        if (-not $IsWindows) { $file.UnixMode | Should -Match '^-r' ; $file.User | Should -Not -BeNullOrEmpty }
        Dismount-ZarrAudio
    }

    It 'exports recordings and label rows sample-exact' {
        $source = Join-Path $TestDrive 'marsh wren.wav'
        & sox -n -r 32000 -b 16 -c 2 $source synth 3 whitenoise vol 0.3
        $out = New-TestFolder 'out'
        $run = Invoke-Captured -Script @'
Mount-ZarrAudio -Uri 'memory://export-test' -Create | Out-Null
Import-Recording -LiteralPath $src | Out-Null
Get-RecordingMeta -Id 1 | Export-Recording -Destination $out -Format flac
'@ -Variables @{ src = $source; out = $out }
        $whole = $run.Output[0]
        $whole | Should -BeOfType [IO.FileInfo]
        $whole.Name | Should -Be '1_marsh wren.flac'
        Assert-SameSamples (Get-DecodedInt16 $whole.FullName) (Get-DecodedInt16 $source)
        $run.Progress | Where-Object { $_.Activity -like 'Export-Recording*' -and $_.RecordType -eq 'Completed' } | Should -Not -BeNullOrEmpty

        $null = Mount-ZarrAudio -Uri 'memory://export-test2' -Create
        $null = Import-Recording -LiteralPath $source
        @([pscustomobject]@{ Id = '1'; Start = '1000'; Count = '3200' },
          [pscustomobject]@{ Id = '1'; Start = '50000'; Count = '7' }) | Export-Recording -Destination $out | ForEach-Object Name |
            Should -Be @('1_marsh wren_1000-4200.wav', '1_marsh wren_50000-50007.wav')
        $expected = (Read-Samples -Id 1 -Start 1000 -Count 3200).Samples
        Assert-SameSamples (Get-DecodedInt16 (Join-Path $out '1_marsh wren_1000-4200.wav')) $expected

        Export-Recording 1 (Join-Path $out 'left.wav') -StartTime 0:0:1 -Duration 0:0:0.5 -Channel 0 | Out-Null
        $left = (Read-Samples -Id 1 -Start 32000 -Count 16000 -Channel 0).Samples
        Assert-SameSamples (Get-DecodedInt16 (Join-Path $out 'left.wav')) $left
        Dismount-ZarrAudio
    }

    It 'protects existing files and reports bad targets' {
        $out = New-TestFolder
        $file = Join-Path $out 'x.wav'
        $null = Mount-ZarrAudio -Uri 'memory://export-errors' -Create
        $null = Import-Recording -Samples ([int16[]](1..8000)) -SampleRate 8000 -Name clip
        Export-Recording -Id 1 -Destination $file -WhatIf | Should -BeNullOrEmpty
        $file | Should -Not -Exist

        $null = Export-Recording -Id 1 -Destination $file
        $e = @()
        Export-Recording -Id 1 -Destination $file -NoClobber -ErrorVariable +e -ErrorAction SilentlyContinue
        Export-Recording -Id 1 -Destination (Join-Path $out 'x.nosuchformat') -ErrorVariable +e -ErrorAction SilentlyContinue
        Export-Recording -Id 1 -Destination (Join-Path $out 'missing/x.wav') -ErrorVariable +e -ErrorAction SilentlyContinue
        Export-Recording -Id 9 -Destination $out -ErrorVariable +e -ErrorAction SilentlyContinue
        Export-Recording -Id 1 -Start 7999 -Count 2 -Destination $out -ErrorVariable +e -ErrorAction SilentlyContinue
        $e | ForEach-Object { Get-ErrorId $_ } | Should -Be @('ExportTargetExists', 'UnsupportedExportFormat', 'PathNotFound', 'RecordingNotFound', 'SampleRangeOutOfBounds')
        $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'

        # -WhatIf changes nothing, not even a folder -Force would create.
        Export-Recording -Id 1 -Destination (Join-Path $out 'planned/') -Force -WhatIf | Should -BeNullOrEmpty
        Join-Path $out 'planned' | Should -Not -Exist
        # -Force creates the missing folder; a recording from an array is named after its -Name.
        Export-Recording -Id 1 -Destination (Join-Path $out 'new/') -Format ogg -Force | ForEach-Object Name | Should -Be '1_clip.ogg'
        # Failed exports leave nothing behind: no partial files, no file for the unknown format.
        Get-ChildItem -LiteralPath $out -Force | ForEach-Object Name | Sort-Object | Should -Be @('new', 'x.wav')
        Dismount-ZarrAudio
    }
}

Describe 'Export-Recording into folders' {
    BeforeAll {
        $null = Mount-ZarrAudio -Uri 'memory://export-folders' -Create
        # Two recordings from sources with the same name, as field recorders write them.
        $a = New-TestFolder 'card-a'; $b = New-TestFolder 'card-b'
        $null = New-TestWav (Join-Path $a '20240531_223911.WAV') -Seconds 0.5
        $null = New-TestWav (Join-Path $b '20240531_223911.WAV') -Seconds 0.6
        $null = Import-Recording -LiteralPath (Join-Path $a '20240531_223911.WAV'), (Join-Path $b '20240531_223911.WAV') -ThrottleLimit 1
    }
    AfterAll { Dismount-ZarrAudio -All }

    # Issue 8, item 8: same source names collided (ExportTargetExists even with -Force).
    It 'gives recordings with the same source name distinct files by default' {
        $out = New-TestFolder 'same-names'
        Get-RecordingMeta | Export-Recording -Destination $out -ErrorVariable e | ForEach-Object Name | Should -Be @('1_20240531_223911.wav', '2_20240531_223911.wav')
        $e | Should -BeNullOrEmpty
    }

    It 'names files from a -FileName template' {
        $out = New-TestFolder 'template'
        Set-RecordingMeta -Id 1 -UserMeta @{ site = 'marsh' }
        Export-Recording -Id 1 -Start 100 -Count 50 -Destination $out -FileName '{User.site}-{Id}-{Start}-{End}' -Format flac | ForEach-Object Name | Should -Be 'marsh-1-100-150.flac'
        Export-Recording -Id 1 -Destination $out -FileName '{Nope}' -ErrorVariable e -ErrorAction SilentlyContinue
        Get-ErrorId $e[0] | Should -Be 'InvalidFileName'
    }

    # Issue 8, item 5: -Destination ./clips (no such folder) wrote one file named clips, then failed for the next
    # row; -WhatIf printed "already exists" errors.
    It 'never writes a file named like a missing folder' {
        $root = New-TestFolder 'missing'
        $clips = Join-Path $root 'clips'
        $rows = @([pscustomobject]@{ Id = 1; Start = 0; Count = 100 }, [pscustomobject]@{ Id = 2; Start = 0; Count = 100 })
        $rows | Export-Recording -Destination $clips -ErrorVariable e -ErrorAction SilentlyContinue
        $e | ForEach-Object { Get-ErrorId $_ } | Select-Object -Unique | Should -Be 'PathNotFound'
        $e[0].Exception.Message | Should -Match '-Force'
        $clips | Should -Not -Exist
        $rows | Export-Recording -Destination $clips -Force -WhatIf -ErrorVariable w
        $w | Should -BeNullOrEmpty
        $clips | Should -Not -Exist
        $rows | Export-Recording -Destination $clips -Force | ForEach-Object Name | Should -Be @('1_20240531_223911_0-100.wav', '2_20240531_223911_0-100.wav')
        Test-Path -LiteralPath $clips -PathType Container | Should -BeTrue
    }
}

# Issue 8, item 10: a duration of 25 h showed as 01:00:00.000.
Describe 'Durations of a day or more' {
    It 'shows 25 hours as 25:00:00.000' {
        $null = Mount-ZarrAudio -Uri 'memory://long-duration' -Create
        $r = Import-Recording -Samples ([int16[]]::new(90000)) -SampleRate 1 -Name 'a day and an hour'
        $r.Duration.TotalHours | Should -Be 25
        ($r | Format-Table | Out-String) | Should -Match '25:00:00\.000'
        Dismount-ZarrAudio
    }
}
