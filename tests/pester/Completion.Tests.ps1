BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Tab completion' {
    BeforeAll {
        $default = Mount-ZarrAudio -Uri 'memory://completion-default' -Create
        $null = Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -Name only-default
        $other = Mount-ZarrAudio -Uri 'memory://completion-other' -Create
        1..3 | ForEach-Object { $null = Import-Recording -Archive $other -Samples ([int16[]](1..10)) -SampleRate 8000 -Name "other$_" }
        $null = Mount-ZarrAudio -Uri 'memory://completion-default' # the default again
    }
    AfterAll { Dismount-ZarrAudio -All }

    It 'completes -Id from the default archive, with each source name' {
        $line = 'Read-Samples -Id '
        $c = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $c.CompletionText | Should -Be @('1')
        $c[0].ToolTip | Should -Match 'only-default'
    }

    It 'completes -Id from the archive that -Archive names' {
        $line = 'Read-Samples -Archive $other -Id '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('1', '2', '3')
    }

    It 'completes -Format from ffmpeg''s muxers, audio formats first' {
        $line = 'Export-Recording -Id 1 -Format '
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names[0..2] | Should -Be @('wav', 'flac', 'ogg')
        $names | Should -Contain 'mp3'
        $line = 'Export-Recording -Id 1 -Format fl'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'flac'
    }
}

Describe 'Objects that PowerShell''s own cmdlets handle' {
    BeforeAll {
        $null = Mount-ZarrAudio -Uri 'memory://csv' -Create
        $null = Import-Recording -Samples ([int16[]](1..8000)) -SampleRate 8000 -Name one -UserMeta @{ site = 'marsh'; tags = @('a', 'b') }
        $null = Import-Recording -Samples ([int16[]](1..4000)) -SampleRate 8000 -Name two
    }
    AfterAll { Dismount-ZarrAudio -All }

    It 'exports useful CSV columns: metadata as JSON, not System.Collections.Hashtable' {
        $csv = Join-Path $TestDrive 'recordings.csv'
        Get-RecordingMeta | Export-Csv -LiteralPath $csv
        $rows = Import-Csv -LiteralPath $csv
        $rows[0].User | Should -Not -Match 'System.Collections'
        ($rows[0].User | ConvertFrom-Json).site | Should -Be 'marsh'
        $rows[0].DurationSeconds | Should -Be '1'
        "$((Get-RecordingMeta -Id 1).User)" | Should -Match '"site":"marsh"'
    }

    It 'sums durations with Measure-Object' {
        (Get-RecordingMeta | Measure-Object -Property DurationSeconds -Sum).Sum | Should -Be 1.5
    }

    It 'says a start past the end is past the end' {
        Read-Samples -Id 2 -Start 5000 -ErrorVariable e -ErrorAction SilentlyContinue
        Get-ErrorId $e[0] | Should -Be 'SampleRangeOutOfBounds'
        $e[0].Exception.Message | Should -Match 'past the end of recording 2, which has 4000 samples'
        Read-Samples -Id 2 -StartTime 00:00:01 -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].Exception.Message | Should -Match 'past the end'
    }
}
