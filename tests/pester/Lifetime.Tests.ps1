BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# Issue 8, item 1: when Import-Recording ended early (-ErrorAction Stop, Select-Object -First 1), the queued
# files went on importing in the background and were committed seconds later, even after Dismount-ZarrAudio.
Describe 'A cmdlet stops all its work when it returns' {
    BeforeAll {
        $incoming = New-TestFolder 'incoming'
        $files = 1..6 | ForEach-Object { New-TestWav (Join-Path $incoming "long$_.wav") -Rate 48000 -Channels 2 -Seconds 40 }
        $bad = Join-Path $incoming '0-bad.wav'
        Set-Content -LiteralPath $bad -Value 'not audio at all'
    }

    It 'commits nothing after a terminating error stopped Import-Recording' {
        $null = Mount-ZarrAudio -Path (New-TestFolder) -Create
        { Import-Recording -LiteralPath (@($bad) + $files) -ThrottleLimit 1 -ErrorAction Stop } | Should -Throw
        $after = @(Get-RecordingMeta).Count
        Start-Sleep -Seconds 3
        @(Get-RecordingMeta).Count | Should -Be $after
        $after | Should -BeLessThan 6
        Dismount-ZarrAudio
    }

    It 'commits nothing after Select-Object -First 1 stopped Import-Recording' {
        $archive = Mount-ZarrAudio -Path (New-TestFolder) -Create
        $first = Import-Recording -LiteralPath $files -ThrottleLimit 1 | Select-Object -First 1
        $first.Id | Should -Be 1
        $after = @(Get-RecordingMeta).Count
        Start-Sleep -Seconds 3
        @(Get-RecordingMeta).Count | Should -Be $after
        $after | Should -BeLessThan 6
        # What was committed reads back; nothing half-imported is listed.
        (Test-Recording | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        Dismount-ZarrAudio
    }
}
