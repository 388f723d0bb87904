BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# Issue 9, item 7: one recording's malformed zarr.json made Get-RecordingMeta list nothing (a terminating
# ZarrMetadataException, category NotSpecified).
Describe 'One damaged recording does not hide the others' {
    BeforeAll {
        $folder = New-TestFolder
        $null = Mount-ZarrAudio -Path $folder -Create
        1..3 | ForEach-Object { $null = Import-Recording -Samples ([int16[]](1..(100 * $_))) -SampleRate 8000 -Name "r$_" }
        Set-Content -LiteralPath (Join-Path $folder '2/zarr.json') -Value '{ "zarr_format": 3, "node_type": "group", "attributes": '
    }
    AfterAll { Dismount-ZarrAudio -All }

    It 'lists the others and writes one CorruptRecording error naming the damaged id' {
        $listed = Get-RecordingMeta -ErrorVariable e -ErrorAction SilentlyContinue
        $listed.Id | Should -Be @(1, 3)
        $e.Count | Should -Be 1
        Get-ErrorId $e[0] | Should -Be 'CorruptRecording'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $e[0].TargetObject | Should -Be 2
        $e[0].Exception.Message | Should -Match 'Recording 2'
    }

    It 'says CorruptRecording for the damaged id when asked for it' {
        Get-RecordingMeta -Id 2, 3 -ErrorVariable e -ErrorAction SilentlyContinue | ForEach-Object Id | Should -Be 3
        Get-ErrorId $e[0] | Should -Be 'CorruptRecording'
    }
}
