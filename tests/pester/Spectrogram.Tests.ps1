BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Spectrograms' {
    BeforeAll {
        $null = Mount-ZarrAudio -Path (New-TestFolder) -Create
        # A 250 kHz "bat" recording: quiet noise with a 60 kHz call from 0.4 s to 0.45 s; and a 3 kHz tone at 48 kHz.
        $bat = Join-Path $TestDrive 'bat.wav'
        & sox -n -r 250000 -b 16 -c 1 $bat synth 1 whitenoise vol 0.002 : synth 0.05 sine 60000 vol 0.3 : synth 0.55 whitenoise vol 0.002
        $batId = (Import-Recording -LiteralPath $bat -RecordedAt '2024-06-01 22:15:00' -TimeZone Europe/Berlin).Id
        $tone = Join-Path $TestDrive 'tone.wav'
        & sox -n -r 48000 -b 16 -c 2 $tone synth 2 sine 3000 vol 0.5
        $toneId = (Import-Recording -LiteralPath $tone).Id
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'returns arrays with the tone in its bin, in power, dB or mel bands' {
        $s = Get-Spectrogram -Id $toneId -StartTime 0.5 -Duration 1
        $s.Shape | Should -Be @(257, 186)
        $column = [float[]](0..256 | ForEach-Object { $s.Values[$_ * 186 + 10] })
        [array]::IndexOf($column, [float]($column | Measure-Object -Maximum).Maximum) | Should -Be 32
        $s.Item(32, 10) | Should -Be $column[32]
        $s.Frequencies[32] | Should -Be 3000
        $db = Get-Spectrogram -Id $toneId -StartTime 0.5 -Duration 1 -Decibels
        [math]::Round($db.Values[32 * 186 + 10], 3) | Should -Be ([math]::Round(10 * [math]::Log10($s.Values[32 * 186 + 10]), 3))
        (Get-Spectrogram -Id $toneId -MelBands 64).Shape[0] | Should -Be 64
        (Get-Spectrogram -Id $batId -FrequencyRange 20000, 120000).Frequencies[0] | Should -BeGreaterOrEqual 20000
    }

    It 'carries a row''s columns to its spectrogram' {
        $s = [pscustomobject]@{ Id = $batId; StartTime = 0.35; Duration = 0.2; species = 'Myotis' } | Get-Spectrogram -WindowLength 256
        $s.species | Should -Be 'Myotis'
        $s.Start | Should -Be 87500
    }

    It 'draws a recording, a row with its box, and a contact sheet as PNG pictures' {
        $out = New-TestFolder 'pictures'
        $file = Export-Spectrogram -Id $batId -Destination (Join-Path $out 'bat.png') -FrequencyRange 10000, 125000
        $file.Name | Should -Be 'bat.png'
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        $bytes[1..3] | Should -Be @(80, 78, 71) # PNG
        $rows = @(
            [pscustomobject]@{ Id = $batId; StartTime = 0.4; Duration = 0.05; LowFrequency = 55000; HighFrequency = 65000; species = 'Myotis' }
            [pscustomobject]@{ Id = $toneId; StartTime = 1; Duration = 0.5; species = 'tone' }
        )
        $files = $rows | Export-Spectrogram -Destination $out -FileName '{Id}_{species}'
        $files.Name | Should -Be @("$($batId)_Myotis.png", "$($toneId)_tone.png")
        $sheet = $rows | Export-Spectrogram -Destination (Join-Path $out 'sheet.png') -Grid 2x1 -Width 800 -Height 300
        $sheet.Name | Should -Be 'sheet.png'
        { $rows | Export-Spectrogram -Destination $out -FileName '{Id}_{species}' -ErrorAction Stop } | Should -Throw -ErrorId 'ExportTargetExists*'
        ($rows | Export-Spectrogram -Destination $out -FileName '{Id}_{species}' -WhatIf) | Should -BeNullOrEmpty
    }

    It 'draws real recordings: a horseshoe bat at 500 kHz and a spinetail song, and a labelled set as a contact sheet' {
        $out = New-TestFolder 'real'
        $bat = Import-Recording -LiteralPath (TestData 'Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav')
        $bird = Import-Recording -LiteralPath (TestData 'spinetail.wav')
        # The bat's constant-frequency call is near 96 kHz: its bin holds the recording's loudest energy.
        $s = Get-Spectrogram -Id $bat.Id -FrequencyRange 20000, 150000
        $loudest = 0; $row = 0
        for ($k = 0; $k -lt $s.Shape[0]; $k++) { $v = $s.Item($k, [int]($s.Shape[1] / 2)); if ($v -gt $loudest) { $loudest = $v; $row = $k } }
        $s.Frequencies[$row] | Should -BeGreaterThan 90000
        $s.Frequencies[$row] | Should -BeLessThan 100000
        (Export-Spectrogram -Id $bat.Id -Destination (Join-Path $out 'bat.png') -Overlap 0.9 -FrequencyRange 20000, 150000).Length | Should -BeGreaterThan 10000
        (Export-Spectrogram -Id $bird.Id -Duration 6 -StartTime 0 -Destination (Join-Path $out 'bird.png') -FrequencyRange 0, 12000).Length | Should -BeGreaterThan 10000
        $null = @([pscustomobject]@{ Id = $bird.Id; StartTime = 0.7; Duration = 2; species = 'spinetail trill' }
                  [pscustomobject]@{ Id = $bird.Id; StartTime = 4.8; Duration = 0.6; species = 'spinetail note' }) | New-SegmentSet -Name songs
        (Get-Segment songs | Export-Spectrogram -Destination (Join-Path $out 'songs.png') -Grid 2x1 -Width 1000 -Height 300).Name | Should -Be 'songs.png'
    }

    It 'refuses options that cannot be drawn, with stable ids' {
        { Export-Spectrogram -Id $toneId -Destination (Join-Path $TestDrive 'x.png') -ColorMap nope -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSpectrogramOption*'
        { Get-Spectrogram -Id $toneId -FrequencyRange 30000, 40000 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSpectrogramOption*'
        { Get-Spectrogram -Id $toneId -Start 0 -Count 100 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSpectrogramOption*'
    }
}
