BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# Issue 8: -Verbose messages on every cmdlet (what was mounted, which frames and bytes a read fetched, what an import did).
Describe '-Verbose says what each cmdlet did' {
    It 'tells for <Name>' -ForEach @(
        @{ Name = 'Mount-ZarrAudio'; Script = 'Mount-ZarrAudio -Uri memory://verbose-a -Create -Verbose | Out-Null'; Pattern = 'Mounted memory://verbose-a' }
        @{ Name = 'Import-Recording'; Script = 'Import-Recording -Samples ([int16[]](1..4000)) -SampleRate 8000 -Name v -Verbose | Out-Null'; Pattern = 'Imported v as recording 1: 4,000 samples × 1 ch at 8000 Hz, 16-bit, [\d,]+ bytes stored' }
        @{ Name = 'Read-Samples'; Script = 'Read-Samples -Id 1 -Start 100 -Count 10 -Verbose | Out-Null'; Pattern = 'Recording 1 \[100, 110\) channels 0: 1 FLAC frames decoded, [\d,]+ bytes fetched' }
        @{ Name = 'Get-RecordingMeta'; Script = 'Get-RecordingMeta -Verbose | Out-Null'; Pattern = 'memory://verbose-a: 1 recording' }
        @{ Name = 'Set-RecordingMeta'; Script = 'Set-RecordingMeta -Id 1 -UserMeta @{ site = ''x'' } -Remove old -Verbose'; Pattern = 'Recording 1: set site; removed old' }
        @{ Name = 'Test-Recording'; Script = 'Test-Recording -Id 1 -Verbose | Out-Null'; Pattern = 'Recording 1: decoded [\d,]+ stored bytes in [\d.]+ s: valid' }
        @{ Name = 'Export-Recording'; Script = 'Export-Recording -Id 1 -Destination $TestDrive -Verbose | Out-Null'; Pattern = 'Exported recording 1 \[0, 4000\) to .*1_v\.wav' }
        @{ Name = 'Get-ZarrAudio'; Script = 'Get-ZarrAudio -Verbose | Out-Null'; Pattern = '1 archive\(s\) mounted' }
        @{ Name = 'Repair-ZarrAudio'; Script = 'Repair-ZarrAudio -Verbose | Out-Null'; Pattern = '0 item\(s\) to repair' }
        @{ Name = 'Remove-Recording'; Script = 'Remove-Recording -Id 1 -Confirm:$false -Verbose'; Pattern = 'Removed recording 1' }
        @{ Name = 'Dismount-ZarrAudio'; Script = 'Dismount-ZarrAudio -Verbose'; Pattern = 'Dismounted memory://verbose-a' }
    ) {
        $messages = & ([scriptblock]::Create($Script)) 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        ($messages -join "`n") | Should -Match $Pattern
    }

    # $TestDrive is empty while -ForEach data is built: a path taken from it then pointed at the current directory.
    It 'exported into the test drive, not the current directory' {
        Join-Path $TestDrive '1_v.wav' | Should -Exist
    }
}
