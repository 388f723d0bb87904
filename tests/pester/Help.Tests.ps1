BeforeDiscovery {
    # Every example of every cmdlet's help, as Get-Help shows it (the MAML that build.ps1 generates).
    Import-Module (Join-Path $PSScriptRoot '../../ZarrAudio.psd1') -Force
    $examples = foreach ($command in (Get-Command -Module ZarrAudio | Sort-Object Name)) {
        $n = 0
        foreach ($example in (Get-Help $command.Name -Full).examples.example) {
            $n++
            @{ Command = $command.Name; Number = $n; Code = ($example.code -join "`n"); Text = (($example.remarks | ForEach-Object Text) -join ' ') }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # A prepared working folder: an archive of 12 recordings with the ids, lengths and metadata the examples name,
    # and the files they import. Each example runs in a fresh runspace on its own copy.
    $script:Prepared = New-TestFolder 'prepared'
    Push-Location $Prepared
    try {
        $null = New-Item -ItemType Directory ./night1, ./field
        $null = New-TestWav (Join-Path $Prepared 'field/marsh1.wav') -Rate 8000 -Seconds 1
        $null = New-TestWav (Join-Path $Prepared 'field/marsh2.wav') -Rate 8000 -Seconds 1
        $null = New-TestWav (Join-Path $Prepared 'night1/a.wav') -Rate 48000 -Seconds 1
        $null = New-TestWav (Join-Path $Prepared 'night1/b.wav') -Rate 48000 -Seconds 1
        & sox -n -r 44100 -b 16 -c 2 (Join-Path $Prepared 'dawn.flac') synth 2 whitenoise vol 0.2
        & ffmpeg -v error -f lavfi -i testsrc=size=64x48:rate=5 -f lavfi -i 'sine=f=440:r=32000' -f lavfi -i 'sine=f=880:r=32000' -t 2 `
            -map 0 -map 1 -map 2 -c:v mpeg4 -c:a aac -shortest (Join-Path $Prepared 'camera trap [7].mp4')
        $archive = Mount-ZarrAudio -Path (Join-Path $Prepared 'archive') -Create
        $sites = @{ 1 = 'cave-3'; 2 = 'cave-3'; 5 = 'test'; 6 = 'test' }
        foreach ($id in 1..12) {
            $rate = 8000; $seconds = 2; $channels = 1
            if ($id -eq 3) { $seconds = 100; $channels = 2 }
            if ($id -eq 7) { $seconds = 400 }
            $samples = [int16[,]]::new($rate * $seconds, $channels)
            $user = @{ observer = 'AK' }
            if ($sites[$id]) { $user.site = $sites[$id] }
            if ($id -in 3, 8) { $user.species = 'Myotis' }
            $null = Import-Recording -Samples $samples -SampleRate $rate -Name "rec$id" -UserMeta $user
        }
        Dismount-ZarrAudio
        # The model the Invoke-AudioModel examples run: energy in a 1 kHz and a 3 kHz band at 8 kHz.
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/reference/make_models.py') tone (Join-Path $Prepared 'tone.onnx') 8000 1000 3000
        Set-Content -LiteralPath (Join-Path $Prepared 'labels.txt') -Value 'low', 'high'
        @([pscustomobject]@{ Id = 3; Start = 48000; Count = 4800; Label = 'call' },
          [pscustomobject]@{ Id = 7; Start = 0; Count = 800; Label = 'noise' }) | Export-Csv -LiteralPath (Join-Path $Prepared 'labels.csv')
    }
    finally { Pop-Location }
}

Describe 'Every help example runs' {
    It '<Command> example <Number> runs without errors' -ForEach $examples {
        $work = New-TestFolder
        Copy-Item -Path (Join-Path $Prepared '*') -Destination $work -Recurse
        $run = Invoke-Captured -Script @"
Set-Location -LiteralPath '$work'
Mount-ZarrAudio -Path ./archive | Out-Null
`$ConfirmPreference = 'None'
$Code
"@
        $run.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Should -BeNullOrEmpty -Because "the example is:`n$Code"
    }
}

Describe 'The about_ZarrAudio examples' {
    It 'run without errors' {
        $text = (Get-Help about_ZarrAudio | Out-String) -split "`r?`n"
        $start = [array]::IndexOf($text, ($text | Where-Object { $_ -match '^\s*EXAMPLES\s*$' } | Select-Object -First 1))
        $lines = $text[($start + 1)..($text.Count - 1)]
        $end = [array]::IndexOf($lines, ($lines | Where-Object { $_ -match '^\s*SEE ALSO\s*$' } | Select-Object -First 1))
        $code = ($lines[0..($end - 1)] | ForEach-Object { $_ -replace '^    ', '' }) -join "`n"
        $code | Should -Match 'Import-Recording'
        $work = New-TestFolder
        Copy-Item -Path (Join-Path $Prepared '*') -Destination $work -Recurse
        $run = Invoke-Captured -Script "Set-Location -LiteralPath '$work'`n$code"
        $run.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Should -BeNullOrEmpty -Because "the examples are:`n$code"
        @(Get-ChildItem -Path (Join-Path $work 'exports/1_marsh*.flac')).Count | Should -Be 1
    }
}

Describe 'Help examples do what their text says' {
    BeforeEach {
        $work = New-TestFolder
        Copy-Item -Path (Join-Path $Prepared '*') -Destination $work -Recurse
        Push-Location $work
        $null = Mount-ZarrAudio -Path ./archive
    }
    AfterEach { Dismount-ZarrAudio -All; Pop-Location }

    It 'Export-Recording example 1 writes ./exports/7_rec7.flac' {
        Get-RecordingMeta -Id 7 | Export-Recording -Destination ./exports/ -Format flac -Force | Out-Null
        './exports/7_rec7.flac' | Should -Exist
    }
    It 'Export-Recording example 2 writes one clip per label row, named by id, source and range' {
        Import-Csv ./labels.csv | Export-Recording -Destination ./clips -Force | Out-Null
        Get-ChildItem ./clips | ForEach-Object Name | Should -Be @('3_rec3_48000-52800.wav', '7_rec7_0-800.wav')
    }
    It 'Import-Recording example 2 imports the second audio stream of a file whose name holds brackets' {
        $r = Import-Recording -LiteralPath './camera trap [7].mp4' -Stream 1
        $r.SourceName | Should -Be 'camera trap [7].mp4'
        $r.SampleRate | Should -Be 32000
    }
    It 'Remove-Recording example 1 previews, then removes recording 4' {
        Remove-Recording -Id 4 -WhatIf
        (Get-RecordingMeta).Id | Should -Contain 4
        Remove-Recording -Id 4 -Confirm:$false
        (Get-RecordingMeta).Id | Should -Not -Contain 4
    }
    It 'Get-RecordingMeta example 2 filters on nested user values and GUANO, also past recordings without GUANO' {
        $deep = Import-Recording -Samples ([int16[]](1..800)) -SampleRate 8000 -Name deep -UserMeta @{ site = @{ depth = 12 } }
        $example = (Get-Help Get-RecordingMeta).Examples.Example[1].Code
        $ErrorActionPreference = 'Stop' # "Cannot index into a null array" inside Where-Object is otherwise only written
        $found = & ([scriptblock]::Create($example))
        @($found).Id | Should -Not -Contain $deep.Id
    }
    It 'Set-RecordingMeta example 1 marks the cave-3 recordings verified' {
        Get-RecordingMeta | Where-Object { $_.User.site -eq 'cave-3' } | Set-RecordingMeta -UserMeta @{ verified = $true; verifiedBy = 'AK' }
        (Get-RecordingMeta | Where-Object { $_.User.verified }).Id | Should -Be @(1, 2)
    }
    It 'Read-Samples example 2 reads 250 ms of channel 0 as Single' {
        $b = Read-Samples -Id 3 -StartTime 00:01:30 -Duration 00:00:00.250 -Channel 0 -AsSingle
        $b.SampleCount | Should -Be 2000
        $b.Samples.GetType().Name | Should -Be 'Single[,]'
    }
}
