BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Import, filter and read pipelines' {
    BeforeAll {
        $folder = New-TestFolder
        $null = Mount-ZarrAudio -Path $folder -Group 'g' -Create
        $files = 'SPKRPLAYBACK_multichirp_2018-08-18_09-15-06_ch9-12_first2s.wav', 'spinetail.wav', 'deermouse-go.wav' | ForEach-Object { TestData $_ }
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'imports files in parallel with user metadata and reports progress' {
        $run = Invoke-Captured -Script @'
Mount-ZarrAudio -Path $folder -Group 'g' | Out-Null
Import-Recording -LiteralPath $files -UserMeta @{ species = 'Myotis'; site = @{ name = 'cave'; depth = 12 } } -ThrottleLimit 2
'@ -Variables @{ folder = $folder; files = $files }
        $run.Output.Count | Should -Be 3
        $run.Errors | Should -BeNullOrEmpty
        $run.Progress | Where-Object { $_.RecordType -eq 'Completed' -and $_.ActivityId -eq 1 } | Should -Not -BeNullOrEmpty
    }

    It 'finds recordings with Where-Object on typed and user metadata' {
        $bats = Get-RecordingMeta | Where-Object { $_.User.species -eq 'Myotis' -and $_.SampleRate -ge 192000 -and $_.User.site.depth -gt 10 } | ForEach-Object SourceName
        $bats | Sort-Object | Should -Be @('deermouse-go.wav', 'SPKRPLAYBACK_multichirp_2018-08-18_09-15-06_ch9-12_first2s.wav')
        $r = Get-RecordingMeta -Id 1
        $r.Duration | Should -BeOfType [timespan]
        $r.Id | Should -BeOfType [long]
    }

    It 'reads label rows (strings, as Import-Csv gives) in input order, in parallel' {
        $labels = @(
            [pscustomobject]@{ Id = '1'; Start = '1000'; Count = '256' },
            [pscustomobject]@{ Id = '2'; Start = '0'; Count = '10' },
            [pscustomobject]@{ Id = '1'; Start = '5'; Count = '1' })
        $labels | Read-Samples -ThrottleLimit 2 | ForEach-Object { '{0}:{1}:{2}:{3}' -f $_.Id, $_.Start, $_.SampleCount, $_.Samples.GetType().Name } |
            Should -Be @('1:1000:256:Int16[,]', '2:0:10:Int16[,]', '1:5:1:Int16[,]')
    }

    It 'reads label rows from a CSV file through Import-Csv' {
        $csv = Join-Path $TestDrive 'labels.csv'
        @([pscustomobject]@{ Id = 2; Start = 100; Count = 50; Label = 'call' },
          [pscustomobject]@{ Id = 1; Start = 0; Count = 20; Label = 'noise' }) | Export-Csv -LiteralPath $csv
        $blocks = Import-Csv -LiteralPath $csv | Read-Samples
        $blocks.Id | Should -Be @(2, 1)
        $blocks[0].Samples[0, 0] | Should -Be (Read-Samples -Id 2 -Start 100 -Count 1).Samples[0, 0]
    }

    It 'reads as Single for one channel, and by time' {
        $single = Get-RecordingMeta -Id 3 | Read-Samples -AsSingle -Channel 0
        $single.Samples.GetType().Name | Should -Be 'Single[,]'
        $id = (Get-RecordingMeta | Where-Object SourceName -eq 'spinetail.wav').Id
        (Read-Samples -Id $id -StartTime '00:00:01' -Duration '00:00:00.5').SampleCount | Should -Be (44100 / 2)
    }
}

Describe 'A zip store' {
    It 'imports with a wildcard, writes the zip on dismount and remounts read-only' {
        $incoming = New-TestFolder 'in [2024]'
        Copy-Item -LiteralPath (TestData 'spinetail.wav') -Destination (Join-Path $incoming 'a.wav')
        Copy-Item -LiteralPath (TestData 'deermouse-go.wav') -Destination (Join-Path $incoming 'b.wav')
        Set-Content -LiteralPath (Join-Path $incoming 'notes.txt') -Value 'not matched by the wildcard'
        $zip = Join-Path $TestDrive 'survey.zip'
        $a = Mount-ZarrAudio -LiteralPath $zip -Group 'site/a' -Create
        $pattern = [WildcardPattern]::Escape($incoming) + '/*.wav'
        $null = Import-Recording -Path $pattern -ErrorVariable importErrors
        $importErrors | Should -BeNullOrEmpty
        $a | Dismount-ZarrAudio
        $zip | Should -Exist

        $run = Invoke-Captured -Script @'
$ro = Mount-ZarrAudio -Path $zip -Group 'site/a' -ReadOnly
@(Get-RecordingMeta).Count
@(1, 2 | Get-RecordingMeta).Count
@(Test-Recording | Where-Object IsValid).Count
(Read-Samples -Id 1 -Start 10 -Count 5).SampleCount
Set-RecordingMeta -Id 1 -UserMeta @{ x = 1 }
'@ -Variables @{ zip = $zip }
        $run.Output | Should -Be @(2, 2, 2, 5)
        $run.Progress | Where-Object { $_.Activity -eq 'Test-Recording' -and $_.RecordType -eq 'Completed' -and $_.StatusDescription -match '2 of 2' } |
            Should -Not -BeNullOrEmpty
        Get-ErrorId $run.Errors[0] | Should -Be 'ArchiveReadOnly'
    }
}

Describe 'Set-RecordingMeta' {
    BeforeAll {
        $null = Mount-ZarrAudio -Uri 'memory://set-meta' -Create
        $null = Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000 -UserMeta @{ a = 1; b = 'x' }
    }
    AfterAll { Dismount-ZarrAudio }

    It 'merges, removes, replaces, and changes nothing with -WhatIf' {
        Set-RecordingMeta -Id 1 -UserMeta @{ c = $true; tags = @('owl', 'night') }
        $u = (Get-RecordingMeta -Id 1).User
        $u.a | Should -Be 1; $u.b | Should -Be 'x'; $u.c | Should -BeTrue; $u.tags[1] | Should -Be 'night'
        Get-RecordingMeta -Id 1 | Set-RecordingMeta -Remove b
        (Get-RecordingMeta -Id 1).User.ContainsKey('b') | Should -BeFalse
        Set-RecordingMeta -Id 1 -UserMeta @{ only = 'this' } -Replace
        (Get-RecordingMeta -Id 1).User.Count | Should -Be 1
        Set-RecordingMeta -Id 1 -UserMeta @{ x = 1 } -WhatIf
        (Get-RecordingMeta -Id 1).User.ContainsKey('x') | Should -BeFalse
    }

    It 'removes a nested value by its dotted path, and refuses a path that names nothing' {
        Set-RecordingMeta -Id 1 -UserMeta @{ observer = @{ name = 'AK'; org = 'lab' } } -Replace
        Set-RecordingMeta -Id 1 -Remove 'observer.name'
        $u = (Get-RecordingMeta -Id 1).User
        $u.observer.ContainsKey('name') | Should -BeFalse
        $u.observer.org | Should -Be 'lab'
        Set-RecordingMeta -Id 1 -Remove 'observer.nickname' -ErrorVariable e -ErrorAction SilentlyContinue
        Get-ErrorId $e[0] | Should -Be 'InvalidUserMetadata'
        $e[0].Exception.Message | Should -Match "no user metadata 'observer.nickname'"
        (Get-RecordingMeta -Id 1).User.observer.org | Should -Be 'lab'
    }
}

Describe 'Errors' {
    It 'says ArchiveNotMounted when nothing is mounted' {
        $run = Invoke-Captured -Script 'Get-RecordingMeta'
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'ArchiveNotMounted,ZarrAudio.PowerShell.Commands.GetRecordingMetaCommand'
    }

    It 'carries stable ids, categories and targets, and the batch goes on' {
        $folder = New-TestFolder
        Set-Content -LiteralPath (Join-Path $folder 'notes.txt') -Value 'not audio'
        $null = Mount-ZarrAudio -Path (Join-Path $folder 'a') -Create
        $missing = Join-Path $folder 'missing.wav'
        $ok = Import-Recording -LiteralPath $missing, (Join-Path $folder 'notes.txt'), (TestData 'deermouse-go.wav') -ErrorVariable +e -ErrorAction SilentlyContinue
        @($ok).Count | Should -Be 1
        $null = Import-Recording -LiteralPath (TestData 'deermouse-go.wav') -ErrorVariable +e -ErrorAction SilentlyContinue
        $null = Get-RecordingMeta -Id 42 -ErrorVariable +e -ErrorAction SilentlyContinue
        $null = Read-Samples -Id 1 -Start 0 -Count 999999999 -ErrorVariable +e -ErrorAction SilentlyContinue
        $null = Read-Samples -Id 1 -Count 1 -Channel 3 -ErrorVariable +e -ErrorAction SilentlyContinue
        $e | ForEach-Object { Get-ErrorId $_ } | Should -Be @('PathNotFound', 'UnsupportedSource', 'DuplicateRecording', 'RecordingNotFound', 'SampleRangeOutOfBounds', 'SampleRangeOutOfBounds')
        $e[0].TargetObject | Should -Be $missing
        $e[2].CategoryInfo.Category | Should -Be 'ResourceExists'
        $e[2].Exception.GetType().Name | Should -Be 'DuplicateRecordingException'

        $null = Mount-ZarrAudio -Path (Join-Path $folder 'a') -ReadOnly
        Import-Recording -LiteralPath (TestData 'spinetail.wav') -Force -ErrorVariable ro -ErrorAction SilentlyContinue
        Get-ErrorId $ro[0] | Should -Be 'ArchiveReadOnly'
        $ro[0].Exception.Message | Should -Match 'mount it again without -ReadOnly'
        Dismount-ZarrAudio; Dismount-ZarrAudio
        # A folder that is not an archive is named as the folder, not as ''.
        $plain = New-TestFolder 'plain'
        $e = $null
        try { Mount-ZarrAudio -Path $plain -ErrorAction Stop } catch { $e = $_ }
        $e.Exception.Message | Should -Not -Match "''"
        $e.Exception.Message | Should -Match ([regex]::Escape("There is no archive in file://$plain"))
    }
}

Describe '-WhatIf and -Confirm' {
    It 'protect data' {
        $null = Mount-ZarrAudio -Uri 'memory://whatif' -Create
        Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -WhatIf | Should -BeNullOrEmpty
        Get-RecordingMeta | Should -BeNullOrEmpty
        $null = Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000
        Remove-Recording -Id 1 -WhatIf
        @(Get-RecordingMeta).Count | Should -Be 1
        Get-RecordingMeta | Remove-Recording -Confirm:$false
        Get-RecordingMeta | Should -BeNullOrEmpty
        (Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000).Id | Should -Be 2
        (Test-Recording -Id 2).IsValid | Should -BeTrue
        Dismount-ZarrAudio
    }
}

Describe 'PowerShell idioms' {
    BeforeAll {
        $null = Mount-ZarrAudio -Uri 'memory://idioms' -Create
        $null = Import-Recording -Samples ([int16[]](1..1000)) -SampleRate 8000 -Name one
    }
    AfterAll { Dismount-ZarrAudio }

    # Issue 8, item 4: .Count of one recording was its sample count (1000), breaking (...).Count.
    It '(...).Count of one recording or block is 1' {
        (Get-RecordingMeta | Where-Object SourceName -eq 'one').Count | Should -Be 1
        (Get-RecordingMeta -Id 1).Count | Should -Be 1
        (Read-Samples -Id 1 -Start 0 -Count 10).Count | Should -Be 1
        (Get-RecordingMeta -Id 1).SampleCount | Should -Be 1000
        (Read-Samples -Id 1 -Start 0 -Count 10).SampleCount | Should -Be 10
    }

    It 'a recording piped into Read-Samples reads all of it' {
        (Get-RecordingMeta -Id 1 | Read-Samples).SampleCount | Should -Be 1000
    }
}

# Issue 8, item 3: Get-ChildItem | Import-Recording silently skipped files whose names hold [ ]: file objects
# bound to the wildcard -Path. Issue 9: an escaped wildcard kept its backticks.
Describe 'File names with wildcard characters' {
    BeforeAll {
        $folder = New-TestFolder 'brackets'
        $null = New-TestWav (Join-Path $folder 'dawn[1].wav') -Seconds 0.5
        $null = New-TestWav (Join-Path $folder 'dusk.wav') -Seconds 0.4
    }
    BeforeEach { $null = Mount-ZarrAudio -Uri "memory://brackets-$([guid]::NewGuid())" -Create }
    AfterEach { Dismount-ZarrAudio }

    It 'imports file objects from Get-ChildItem literally' {
        Get-ChildItem -LiteralPath $folder -Filter *.wav | Import-Recording | Out-Null
        (Get-RecordingMeta).SourceName | Sort-Object | Should -Be @('dawn[1].wav', 'dusk.wav')
    }

    It 'still takes wildcard strings from the pipeline and the command line' {
        (Join-Path $folder 'du*.wav') | Import-Recording | ForEach-Object SourceName | Should -Be 'dusk.wav'
        Import-Recording (Join-Path ([WildcardPattern]::Escape($folder)) 'dawn`[1`].wav') | ForEach-Object SourceName | Should -Be 'dawn[1].wav'
    }

    It 'says so when a -Path with [ ] matches nothing, naming -LiteralPath' {
        Import-Recording -Path (Join-Path $folder 'dawn[1].wav') -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $e[0] | Should -Be 'PathNotFound'
        $e[0].Exception.Message | Should -Match 'LiteralPath'
    }
}

# Issue 8, item 6: -Samples took only typed 1-D/2-D arrays; blocks were 2-D arrays PowerShell cannot use.
Describe 'Samples as PowerShell users have them' {
    BeforeAll { $null = Mount-ZarrAudio -Uri 'memory://plain-samples' -Create }
    AfterAll { Dismount-ZarrAudio -All }

    It 'imports [int16[]], plain numbers, [double[]] and one array per channel' {
        (Import-Recording -Samples ([int16[]](1..1000)) -SampleRate 8000 -Name typed).BitsPerSample | Should -Be 16
        $plain = Import-Recording -Samples (1..1000) -SampleRate 8000 -Name plain
        $plain.BitsPerSample | Should -Be 16
        (Read-Samples -Id $plain.Id -Start 995 -Count 5).Channel[0] | Should -Be (996..1000)
        $wide = Import-Recording -Samples @(0, 100000, -100000) -SampleRate 8000 -Name wide
        $wide.BitsPerSample | Should -Be 32
        (Read-Samples -Id $wide.Id).Channel[0] | Should -Be @(0, 100000, -100000)
        $doubles = Import-Recording -Samples @(0.5, -0.25, 0) -SampleRate 8000 -Name doubles
        $doubles.SampleFormat | Should -Be 'float'
        (Read-Samples -Id $doubles.Id -AsSingle).Channel[0] | Should -Be @(0.5, -0.25, 0)
        $left = [float[]](0.1, 0.2, 0.3); $right = [float[]](-0.1, -0.2, -0.3)
        $stereo = Import-Recording -Samples ([float[][]]($left, $right)) -SampleRate 8000 -Name jagged
        $stereo.Channels | Should -Be 2
        $back = Read-Samples -Id $stereo.Id -AsSingle
        [math]::Round($back.Channel[1][2], 6) | Should -Be ([math]::Round(-0.3, 6))
        (Import-Recording -Samples @((1, 2, 3), (4, 5, 6)) -SampleRate 8000 -Name lists).Channels | Should -Be 2
    }

    It 'refuses what is not numbers, and channels of different lengths, clearly' {
        Import-Recording -Samples @('a', 'b') -SampleRate 8000 -ErrorVariable e -ErrorAction SilentlyContinue
        Get-ErrorId $e[0] | Should -Be 'InvalidSamples'
        Import-Recording -Samples ([float[][]]([float[]](1, 2), [float[]](1))) -SampleRate 8000 -ErrorVariable e2 -ErrorAction SilentlyContinue
        Get-ErrorId $e2[0] | Should -Be 'InvalidSamples'
        $e2[0].Exception.Message | Should -Match 'differ in length'
        # One id for every way the caller's samples are wrong: shape and element type as well as values.
        Import-Recording -Samples ([int16[,,]]::new(2, 2, 2)) -SampleRate 8000 -ErrorVariable e3 -ErrorAction SilentlyContinue
        Get-ErrorId $e3[0] | Should -Be 'InvalidSamples'
        $e3[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e3[0].Exception.Message | Should -Match '3 dimensions'
    }

    It 'gives blocks per-channel arrays that index, measure and convert to JSON' {
        $b = Read-Samples -Id 1 -Start 0 -Count 10
        $b.Channel[0][3] | Should -Be 4
        ($b.Channel[0] | Measure-Object -Sum).Sum | Should -Be 55
        (ConvertTo-Json -InputObject $b.Channel -Compress) | Should -Be '[[1,2,3,4,5,6,7,8,9,10]]'
    }

    It 'converts a block to JSON with its samples once, frame by frame' {
        $stereo = [int16[,]]::new(4, 2); for ($i = 0; $i -lt 4; $i++) { $stereo[$i, 0] = $i + 1; $stereo[$i, 1] = -($i + 1) }
        $r = Import-Recording -Samples $stereo -SampleRate 8000 -Name json
        $b = Read-Samples -Id $r.Id
        $json = $b | ConvertTo-Json -Depth 4 -Compress
        $back = $json | ConvertFrom-Json
        $back.Samples | Should -Be @(1, -1, 2, -2, 3, -3, 4, -4)
        $back.PSObject.Properties.Name | Should -Not -Contain 'Channel'
        $back.SampleCount | Should -Be 4
        ($b | Format-List * | Out-String) | Should -Not -Match '\{1, 2, 3, 4\}'
        $b.Channel[1] | Should -Be @(-1, -2, -3, -4)
    }

    It 'shows a block as a summary, in a table whose header fits and in a list without the samples' {
        $wave = [int16[]]::new(8000); for ($i = 0; $i -lt 8000; $i++) { $wave[$i] = [int16](10000 * [math]::Sin($i / 5)) }
        $r = Import-Recording -Samples $wave -SampleRate 8000 -Name summary
        $b = Read-Samples -Id $r.Id
        $table = ($b | Format-Table | Out-String -Width 120) -split "`n"
        ($table | Where-Object { $_ -match '\bSampleCount\b' }).Count | Should -Be 1
        $table | Where-Object { $_ -match '^\s*t\s*$|SampleCoun\s*$' } | Should -BeNullOrEmpty
        $list = $b | Format-List | Out-String
        $list.Length | Should -BeLessThan 1500
        $list | Should -Match 'Int16\[8000,1\]'
        $b.Peak[0] | Should -Be ([math]::Abs([int]($wave | Measure-Object -Maximum -Minimum | ForEach-Object { [math]::Max($_.Maximum, -$_.Minimum) })))
        [int][math]::Round($b.Rms[0]) | Should -BeIn (7060..7080) # 10000 / sqrt(2)
    }
}
