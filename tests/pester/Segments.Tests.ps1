BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Label rows in seconds' {
    BeforeAll {
        $folder = New-TestFolder
        $null = Mount-ZarrAudio -Path $folder -Create
        $null = Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive 'a.wav') -Rate 8000 -Channels 2 -Seconds 4)
        $null = Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive 'b.wav') -Rate 8000 -Seconds 4)
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'reads exactly the span of each row (text from Import-Csv, and numbers), carrying its other columns' {
        $csv = Join-Path $TestDrive 'seconds.csv'
        @([pscustomobject]@{ Id = 1; StartTime = 1.5; Duration = 0.25; label = 'call'; score = 0.8 },
          [pscustomobject]@{ Id = 2; StartTime = 0.125; Duration = 1; label = 'noise'; score = 0.4 }) | Export-Csv -LiteralPath $csv
        $blocks = Import-Csv -LiteralPath $csv | Read-Samples
        $blocks.Start | Should -Be @(12000, 1000)
        $blocks.SampleCount | Should -Be @(2000, 8000)
        $blocks.label | Should -Be @('call', 'noise')
        $blocks[1].score | Should -Be '0.4'
        Assert-SameSamples $blocks[0].Samples (Read-Samples -Id 1 -Start 12000 -Count 2000).Samples
        ([pscustomobject]@{ Id = 1; StartTime = 1.5 } | Read-Samples).SampleCount | Should -Be 20000
        (Read-Samples -Id 1 -StartTime 1.5 -Duration 0.5).SampleCount | Should -Be 4000
        (Read-Samples -Id 1 -StartTime '00:00:01.5' -Duration 0.5).Start | Should -Be 12000
    }

    It 'still reads whole recordings and plain ids' {
        (Get-RecordingMeta -Id 1 | Read-Samples).SampleCount | Should -Be 32000
        (1 | Read-Samples).SampleCount | Should -Be 32000
    }

    It 'refuses a time that is not a time, and a missing id, with their own error ids' {
        { Read-Samples -Id 1 -StartTime 'soon' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTime*'
        { Read-Samples -Id 1 -StartTime -2 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTime*'
        { [pscustomobject]@{ Start = 1 } | Read-Samples -ErrorAction Stop } | Should -Throw -ErrorId 'MissingRecordingId*'
    }

    It 'names exported clips by a column of the row' {
        $out = New-TestFolder 'clips'
        $files = [pscustomobject]@{ Id = 1; StartTime = '1'; Duration = '0.5'; label = 'Myotis daubentonii' } |
            Export-Recording -Destination $out -FileName '{label}_{Id}_{Start}'
        $files.Name | Should -Be 'Myotis daubentonii_1_8000.wav'
        { [pscustomobject]@{ Id = 1; label = 'x' } | Export-Recording -Destination $out -FileName '{species}' -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*column of the piped row (label)*'
    }
}

Describe 'Segment sets' {
    BeforeAll {
        $folder = New-TestFolder
        $null = Mount-ZarrAudio -Path $folder -Create
        foreach ($n in 1..4) {
            $null = Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive "r$n.wav") -Rate 8000 -Channels 2 -Seconds 2) -UserMeta @{ site = "s$($n % 2)" }
        }
        $labels = Join-Path $TestDrive 'labels.csv'
        @(1..4 | ForEach-Object {
            [pscustomobject]@{ Id = $_; StartTime = 0.5; Duration = 0.25; species = 'Myotis'; confidence = 0.9 }
            [pscustomobject]@{ Id = $_; StartTime = 0.0125; Duration = 0.00625; species = 'Pipistrellus'; confidence = 0.6 }
        }) | Export-Csv -LiteralPath $labels
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'stores rows from a CSV, lists the set with its histograms, and reads them as the rows say' {
        $set = Import-Csv -LiteralPath $labels | New-SegmentSet -Name calls -Description 'two calls each' -Source labels.csv
        $set.Rows | Should -Be 8
        $set.Recordings | Should -Be 4
        $set.Histograms['species']['Myotis'] | Should -Be 4
        (Get-SegmentSet -Name 'c*').Name | Should -Be 'calls'
        $rows = Get-Segment -Set calls
        $rows.Count | Should -Be 8
        $rows[0].confidence | Should -BeOfType [double]
        $rows[0].StartSeconds | Should -Be 0.5
        $blocks = $rows | Read-Samples
        $blocks.species | Should -Be $rows.species
        Assert-SameSamples $blocks[0].Samples (Read-Samples -Id 1 -Start 4000 -Count 2000).Samples
        Assert-SameSamples $blocks[1].Samples (Read-Samples -Id 1 -Start 100 -Count 50).Samples
    }

    It 'splits by site, reproducibly, and gets one part' {
        $parts = Split-SegmentSet -Name calls -Fraction 0.5, 0.5 -Seed 5 -GroupBy site
        ($parts | Measure-Object Rows -Sum).Sum | Should -Be 8
        $first = Get-Segment calls | ForEach-Object { "$($_.SegmentId)=$($_.split)" }
        $null = Split-SegmentSet -Name calls -Fraction 0.5, 0.5 -Seed 5 -GroupBy site
        Get-Segment calls | ForEach-Object { "$($_.SegmentId)=$($_.split)" } | Should -Be $first
        $train = Get-Segment calls -Split train
        $train.Count | Should -Be ($parts | Where-Object Split -eq 'train').Rows
        $sites = $train | ForEach-Object { (Get-RecordingMeta -Id $_.Id).User.site } | Sort-Object -Unique
        @($sites).Count | Should -Be 1
    }

    It 'adds and removes rows, with -WhatIf changing nothing' {
        [pscustomobject]@{ Id = 2; Start = 0; Count = 10; species = 'Nyctalus' } | Add-Segment -Set calls | ForEach-Object Rows | Should -Be 9
        Get-Segment calls | Where-Object species -eq 'Nyctalus' | Remove-Segment -WhatIf
        (Get-SegmentSet calls).Rows | Should -Be 9
        (Get-Segment calls | Where-Object species -eq 'Nyctalus' | Remove-Segment -PassThru).Rows | Should -Be 8
    }

    It 'refuses bad rows and names with stable ids, and stores nothing' {
        { [pscustomobject]@{ Id = 1; StartTime = 1.9; Duration = 0.5 } | New-SegmentSet -Name late -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSegment*'
        { [pscustomobject]@{ Id = 1; HighFrequency = 9000 } | New-SegmentSet -Name high -ErrorAction Stop } | Should -Throw -ExpectedMessage '*input row 1*Hz*'
        { [pscustomobject]@{ Id = 1; StartTime = 'x' } | New-SegmentSet -Name text -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSegment*'
        { [pscustomobject]@{ Id = 1 } | New-SegmentSet -Name '../up' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSegmentSetName*'
        { [pscustomobject]@{ Id = 1 } | New-SegmentSet -Name calls -ErrorAction Stop } | Should -Throw -ErrorId 'SegmentSetExists*'
        { Get-Segment -Set nothing -ErrorAction Stop } | Should -Throw -ErrorId 'SegmentSetNotFound*'
        (Get-SegmentSet).Name | Should -Be 'calls'
    }

    It 'names the sets a removal leaves stale, and then refuses their rows, also from a saved table' {
        $saved = Join-Path $TestDrive 'saved.csv'
        Get-Segment calls | Where-Object Id -eq 4 | Select-Object Id, Start, Count, Fingerprint, species | Export-Csv -LiteralPath $saved
        $whatIf = Remove-Recording -Id 4 -WhatIf 6>&1 | Out-String
        Remove-Recording -Id 4 -Confirm:$false -WarningVariable warned 3>$null
        "$warned" | Should -Match "'calls' \(2 row\(s\)"
        $rows = Get-Segment calls -ErrorVariable stale -ErrorAction SilentlyContinue
        $rows.Count | Should -Be 6
        Get-ErrorId $stale[0] | Should -Be 'SegmentStale'
        "$($stale[0])" | Should -Match 'recording 4 was removed'
        # A table saved with its pins, read against another archive whose recording 1 holds other audio.
        Get-Segment calls | Where-Object Id -eq 1 | Select-Object Id, Start, Count, Fingerprint | Export-Csv -LiteralPath $saved
        $other = Mount-ZarrAudio -Path (New-TestFolder 'other') -Create
        $null = Import-Recording -Archive $other -LiteralPath (New-TestWav (Join-Path $TestDrive 'o.wav') -Rate 8000 -Seconds 2)
        $blocks = Import-Csv -LiteralPath $saved | Read-Samples -Archive $other -ErrorVariable moved -ErrorAction SilentlyContinue
        $blocks | Should -BeNullOrEmpty
        Get-ErrorId $moved[0] | Should -Be 'SegmentStale'
        Dismount-ZarrAudio -Archive $other
    }

    It 'loses no rows when two processes add to one set at once' {
        $pwsh = Join-Path $PSHOME 'pwsh'
        $workers = foreach ($w in 'a', 'b') {
            $script = "Import-Module '$Manifest'; `$null = Mount-ZarrAudio -Path '$folder'; foreach (`$k in 1..6) { 1..3 | ForEach-Object { [pscustomobject]@{ Id = 2; Start = `$k * 10 + `$_; Count = 1; writer = '$w' } } | Add-Segment -Set calls | Out-Null }"
            Start-Process -FilePath $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -PassThru -RedirectStandardError (Join-Path $TestDrive "$w.err")
        }
        $workers | ForEach-Object { $_.WaitForExit(120000) | Should -BeTrue; $_.ExitCode | Should -Be 0 }
        $set = Get-SegmentSet calls
        $set.Histograms['writer']['a'] | Should -Be 18
        $set.Histograms['writer']['b'] | Should -Be 18
    }
}

Describe 'Label files in and out' {
    BeforeAll {
        $folder = New-TestFolder
        $null = Mount-ZarrAudio -Path $folder -Create
        $audio = New-TestFolder 'audio'
        $dawn = Import-Recording -LiteralPath (New-TestWav (Join-Path $audio 'dawn.wav') -Rate 48000 -Channels 2 -Seconds 6)
        $dusk = Import-Recording -LiteralPath (New-TestWav (Join-Path $audio 'dusk.wav') -Rate 48000 -Seconds 2)
        $labels = Join-Path $TestDataFolder 'labels'
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'reads a Raven table into a set, each selection once, matched by the file it is named after' {
        $rows = Import-Segment -LiteralPath (Join-Path $labels 'dawn.Table.1.selections.txt')
        $rows.Count | Should -Be 3
        $rows.Id | Sort-Object -Unique | Should -Be $dawn.Id
        $rows[1].Channel | Should -Be 1
        $rows[1].Origin | Should -Be 'dawn.Table.1.selections.txt line 4'
        $set = $rows | New-SegmentSet -Name raven -Source dawn.Table.1.selections.txt
        $set.Histograms['Species']['Myotis daubentonii'] | Should -Be 2
        (Get-Segment raven).Start | Should -Be @(24000, 60000, 192000)
    }

    It 'reports rows that match no recording and files that break their format, by id' {
        $rows = Import-Segment -LiteralPath (Join-Path $labels 'season.selections.txt'), (Join-Path $labels 'bad-truncated.selections.txt') -ErrorVariable problems -ErrorAction SilentlyContinue
        $rows.Count | Should -Be 2
        (Get-ErrorId $problems[0]) | Should -Be 'InvalidLabelFile'
        "$($problems[0])" | Should -Match 'line 3'
        $rows = Import-Segment -LiteralPath (Join-Path $labels 'dawn.BirdNET.results.csv') -ErrorVariable unmatched -ErrorAction SilentlyContinue
        $rows.Id | Should -Be @($dawn.Id, $dawn.Id, $dusk.Id)
        $rows[1].'Common name' | Should -Be 'Owl, Tawny'
        { Import-Segment -LiteralPath (Join-Path $labels 'dawn.txt') -Id 99 | New-SegmentSet -Name nothing -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSegment*'
        (Get-SegmentSet).Name | Should -Not -Contain 'nothing'
        Set-Content -LiteralPath (Join-Path $TestDrive 'elsewhere.txt') -Value "1`t2`tx"
        $null = Import-Segment -LiteralPath (Join-Path $TestDrive 'elsewhere.txt') -ErrorVariable lost -ErrorAction SilentlyContinue
        (Get-ErrorId $lost[0]) | Should -Be 'LabelRowNotMatched'
        "$($lost[0])" | Should -Match "line 1: no recording of the archive was imported from 'elsewhere'"
    }

    It 'writes a set back as Raven tables and Audacity tracks that read back to the same samples' {
        $out = New-TestFolder 'tables'
        $files = Export-Segment -Set raven -Destination $out
        $files.Name | Should -Be 'dawn.Table.1.selections.txt'
        $again = Import-Segment -LiteralPath $files.FullName | New-SegmentSet -Name again
        (Get-Segment again).Start | Should -Be (Get-Segment raven).Start
        (Get-Segment again).Count | Should -Be (Get-Segment raven).Count
        { Export-Segment -Set raven -Destination $out -ErrorAction Stop } | Should -Throw -ErrorId 'ExportTargetExists*'
        $one = Export-Segment -Set raven -Destination (Join-Path $out 'all.txt')
        (Get-Content -LiteralPath $one.FullName)[0] | Should -Match "^Selection`tView`tChannel`tBegin Time \(s\)"
        $track = Get-Segment raven | Export-Segment -Destination (New-TestFolder 'audacity') -Format Audacity -LabelColumn Species
        (Get-Content -LiteralPath $track.FullName)[0] | Should -Be "0.5`t0.75`tMyotis daubentonii"
    }
}

Describe 'Clock and sun time' {
    BeforeAll {
        $null = Mount-ZarrAudio -Path (New-TestFolder) -Create
        $minute = [int16[]]::new(8000 * 60)
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'keeps the recorder''s local time with its offset, and places a clock time without one in the zone named' {
        $a = Import-Recording -Samples $minute -SampleRate 8000 -RecordedAt '2024-05-03T21:30:00+02:00'
        $a.RecordedAt | Should -Be ([datetime]::SpecifyKind([datetime]'2024-05-03T19:30:00', 'Utc'))
        $a.RecordedAtLocal.Hour | Should -Be 21
        $b = Import-Recording -Samples $minute -SampleRate 8000 -RecordedAt '2024-05-03 21:30'
        $b.RecordedAtLocal | Should -BeNullOrEmpty
        $b.RecordedAt.Kind | Should -Be 'Unspecified'
        $b = Set-RecordingMeta -Id $b.Id -TimeZone Europe/Berlin -PassThru
        $b.RecordedAt | Should -Be ([datetime]::SpecifyKind([datetime]'2024-05-03T19:30:00', 'Utc'))
        $b.TimeZone | Should -Be 'Europe/Berlin'
        (Get-RecordingMeta -Id $b.Id).RecordedAtLocal.Offset | Should -Be ([timespan]'02:00')
        { Import-Recording -Samples $minute -SampleRate 8000 -TimeZone Mars/Olympus -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeZone*'
        { Import-Recording -Samples $minute -SampleRate 8000 -RecordedAt 'yesterday' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTime*'
    }

    It 'selects clock and sun windows across recordings, saves them as a set, and names what it cannot place' {
        $c = Import-Recording -Samples $minute -SampleRate 8000 -RecordedAt '2024-05-04 05:10' -TimeZone Europe/Berlin
        $none = Import-Recording -Samples $minute -SampleRate 8000
        $rows = Select-Segment -From 21:00 -To 22:00 -WarningVariable warned 3>$null
        $rows.Count | Should -Be 2
        $rows[0].Date | Should -Be '2024-05-03'
        $rows[0].Count | Should -Be 480000
        "$warned" | Should -Match "Recording $($none.Id) is not in the selection: its start time is unknown"
        $dawn = Select-Segment -From sunrise-30m -To sunrise+90m -Latitude 52.52 -Longitude 13.40 -WarningAction SilentlyContinue
        $dawn.Id | Should -Be $c.Id
        $set = $dawn | New-SegmentSet -Name dawn
        $set.Rows | Should -Be 1
        (Get-Segment dawn | Read-Samples).SampleCount | Should -Be 480000
        { Select-Segment -From soon -To 05:00 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWindow*'
    }
}

Describe 'Clips with their labels beside them' {
    It 'exports each row as a clip equal to the archive''s samples, and segments.csv naming them' {
        $null = Mount-ZarrAudio -Path (New-TestFolder) -Create
        $r = Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive 'clipsrc.wav') -Rate 8000 -Channels 2 -Seconds 2)
        @([pscustomobject]@{ Id = $r.Id; Start = 100; Count = 400; Channel = 1; species = 'a, b' },
          [pscustomobject]@{ Id = $r.Id; StartTime = 1; Duration = 0.5; species = 'c' }) | New-SegmentSet -Name clips | Out-Null
        $out = New-TestFolder 'clips-out'
        $files = Export-Segment -Set clips -Destination $out -Clip
        $files.Name | Should -Be @('0_clipsrc_100-500.wav', '1_clipsrc_8000-12000.wav', 'segments.csv')
        $table = Import-Csv -LiteralPath (Join-Path $out 'segments.csv')
        $table.File | Should -Be @('0_clipsrc_100-500.wav', '1_clipsrc_8000-12000.wav')
        $table[0].species | Should -Be 'a, b'
        Assert-SameSamples (Get-DecodedInt16 (Join-Path $out $table[0].File)) (Read-Samples -Id $r.Id -Start 100 -Count 400 -Channel 1).Samples
        $csv = Export-Segment -Set clips -Destination (Join-Path $TestDrive 'rows.csv') -Format Csv
        (Import-Csv -LiteralPath $csv.FullName).StartTime | Should -Be @('0.0125', '1')
        Dismount-ZarrAudio
    }
}

Describe 'Reads at another rate' {
    It 'resamples through libsoxr, mono or per channel, label rows included, and refuses a rate of 0' {
        $null = Mount-ZarrAudio -Path (New-TestFolder) -Create
        $r = Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive 'stereo48.wav') -Rate 48000 -Channels 2 -Seconds 2)
        $b = Read-Samples -Id $r.Id -StartTime 0.5 -Duration 1 -SampleRate 16000
        $b.SampleRate | Should -Be 16000
        $b.SampleCount | Should -Be 16000
        $b.Samples.GetType().Name | Should -Be 'Single[,]'
        $m = Read-Samples -Id $r.Id -StartTime 0.5 -Duration 1 -SampleRate 16000 -Mono
        $m.Channels | Should -Be 1
        [math]::Abs($m.Samples[100, 0] - ($b.Samples[100, 0] + $b.Samples[100, 1]) / 2) | Should -BeLessThan 1e-6
        ([pscustomobject]@{ Id = $r.Id; StartTime = 1; Duration = 0.25; species = 'x' } | Read-Samples -SampleRate 22050).SampleCount | Should -Be 5512 # 5512.5: halves to even
        { Read-Samples -Id $r.Id -SampleRate 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        Dismount-ZarrAudio
    }
}

Describe 'Fixed-length crops of label rows' {
    It 'gives every row the same length, cropped or padded, the same crop for the same seed, and says the padding' {
        $null = Mount-ZarrAudio -Path (New-TestFolder) -Create
        $r = Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive 'crop.wav') -Rate 8000 -Seconds 3)
        $rows = @([pscustomobject]@{ Id = $r.Id; StartTime = 0; Duration = 2; label = 'long' },
                  [pscustomobject]@{ Id = $r.Id; StartTime = 1; Duration = 0.25; label = 'short' })
        $a = $rows | Read-Samples -Length 0.5 -Crop Random -Seed 3
        $a.SampleCount | Should -Be @(4000, 4000)
        $a[1].PadBefore + $a[1].PadAfter | Should -Be 2000
        $a[0].PadBefore | Should -Be 0
        Assert-SameSamples $a[0].Samples (Read-Samples -Id $r.Id -Start $a[0].Start -Count 4000).Samples
        ($rows | Read-Samples -Length 0.5 -Crop Random -Seed 3).Start | Should -Be $a.Start
        ($rows | Read-Samples -Length 0.5 -Crop Random -Seed 3 -SampleRate 16000 -Mono).SampleCount | Should -Be @(8000, 8000)
        $c = $rows[1] | Read-Samples -Length 0.5 -Crop Center -Pad Reflect
        $c.PadBefore | Should -Be 1000
        $c.Samples[999, 0] | Should -Be (Read-Samples -Id $r.Id -Start 8001 -Count 1).Samples[0, 0]
        Dismount-ZarrAudio
    }
}
