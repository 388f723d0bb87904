BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Export-Recording' {
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
        $whole.Name | Should -Be 'marsh wren.flac'
        Assert-SameSamples (Get-DecodedInt16 $whole.FullName) (Get-DecodedInt16 $source)
        $run.Progress | Where-Object { $_.Activity -like 'Export-Recording*' -and $_.RecordType -eq 'Completed' } | Should -Not -BeNullOrEmpty

        $null = Mount-ZarrAudio -Uri 'memory://export-test2' -Create
        $null = Import-Recording -LiteralPath $source
        @([pscustomobject]@{ Id = '1'; Start = '1000'; Count = '3200' },
          [pscustomobject]@{ Id = '1'; Start = '50000'; Count = '7' }) | Export-Recording -Destination $out | ForEach-Object Name |
            Should -Be @('marsh wren_1000-4200.wav', 'marsh wren_50000-50007.wav')
        $expected = (Read-Samples -Id 1 -Start 1000 -Count 3200).Samples
        Assert-SameSamples (Get-DecodedInt16 (Join-Path $out 'marsh wren_1000-4200.wav')) $expected

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
        Export-Recording -Id 1 -Destination (Join-Path $out 'new/') -Format ogg -Force | ForEach-Object Name | Should -Be 'clip.ogg'
        # Failed exports leave nothing behind: no partial files, no file for the unknown format.
        Get-ChildItem -LiteralPath $out -Force | ForEach-Object Name | Sort-Object | Should -Be @('new', 'x.wav')
        Dismount-ZarrAudio
    }
}
