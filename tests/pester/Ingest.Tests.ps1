BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Ingest = Join-Path $RepoRoot 'examples/ingest.ps1'
    function Invoke-Ingest([string[]] $Arguments) {
        $out = & $Pwsh -NoProfile -NonInteractive -File $Ingest @Arguments 2>&1
        [pscustomobject]@{ Code = $LASTEXITCODE; Output = ($out | Out-String) }
    }
}

# Issue 20: a card's CONFIG.TXT and a corrupt WAV were retried and logged FAILED on every run, so every timer run
# exited 1; a bad argument exited 1, not the documented 2.
Describe 'examples/ingest.ps1 on a recorder card' {
    It 'ignores what is not audio, fails a corrupt file once and remembers it, and exits 0 when nothing new failed' {
        $card = New-TestFolder 'card'
        $null = New-TestWav (Join-Path $card '20260501_040000.WAV') -Rate 8000
        Set-Content -LiteralPath (Join-Path $card 'CONFIG.TXT') -Value 'Device ID: 24526B065D325963'
        $corrupt = Join-Path $card '20260501_041000.WAV'
        [IO.File]::WriteAllBytes($corrupt, [byte[]](@(0x52, 0x49, 0x46, 0x46) + (1..400 | ForEach-Object { 7 })))
        $archive = Join-Path $TestDrive 'ingested/archive'
        $log = Join-Path $TestDrive 'ingested/ingest.log'
        $null = New-Item -ItemType Directory -Path (Split-Path $archive)

        $first = Invoke-Ingest @('-Source', $card, '-ArchivePath', $archive, '-LogPath', $log)
        $first.Code | Should -Be 1 -Because 'the corrupt WAV failed for the first time'
        $text = Get-Content -LiteralPath $log -Raw
        $text | Should -Match 'IMPORTED .*20260501_040000\.WAV'
        $text | Should -Match 'IGNORED .*CONFIG\.TXT: not audio'
        $text | Should -Match 'FAILED .*20260501_041000\.WAV'

        $second = Invoke-Ingest @('-Source', $card, '-ArchivePath', $archive, '-LogPath', $log)
        $second.Code | Should -Be 0 -Because 'nothing failed anew'
        $runs = (Get-Content -LiteralPath $log) -join "`n" -split 'START'
        $runs[-1] | Should -Not -MatchExactly 'FAILED |IGNORED |IMPORTED '
        $runs[-1] | Should -Match '0 imported, 3 skipped, 0 failed'

        # Changed, the file is tried again.
        [IO.File]::AppendAllText($corrupt, 'more')
        (Invoke-Ingest @('-Source', $card, '-ArchivePath', $archive, '-LogPath', $log)).Code | Should -Be 1
    }

    It 'exits 2 on a bad argument' {
        (Invoke-Ingest @('-Source', (New-TestFolder 'empty'), '-ArchivePath', (Join-Path $TestDrive 'a2'), '-Bogus', 'x')).Code | Should -Be 2
        (Invoke-Ingest @('-Source', (New-TestFolder 'empty2'))).Code | Should -Be 2
        (Invoke-Ingest @('-Source', (Join-Path $TestDrive 'no-such-folder'), '-ArchivePath', (Join-Path $TestDrive 'a3'))).Code | Should -Be 2
    }
}
