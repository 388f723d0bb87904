BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Invoke-AudioModel' {
    BeforeAll {
        $null = Mount-ZarrAudio -Path (New-TestFolder) -Create
        # 6 s at 32 kHz: quiet noise with a 2 kHz call at 1–2 s and a 5 kHz call at 4–4.5 s.
        $wav = Join-Path $TestDrive 'calls.wav'
        & sox -n -r 32000 -b 16 -c 1 $wav synth 1 whitenoise vol 0.002 : synth 1 sine 2000 vol 0.4 : synth 2 whitenoise vol 0.002 : synth 0.5 sine 5000 vol 0.3 : synth 1.5 whitenoise vol 0.002
        $id = (Import-Recording -LiteralPath $wav).Id
        $model = Join-Path $TestDrive 'tone.onnx'
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/reference/make_models.py') tone $model 16000 2000 5000
        $labels = Join-Path $TestDrive 'labels.txt'
        Set-Content -LiteralPath $labels -Value 'wren', 'bat'
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'finds each call in the windows that hold it, as rows that pipe into a segment set and pictures' {
        $found = Invoke-AudioModel -Path $model -LabelPath $labels -SampleRate 16000 -WindowSeconds 1 -HopSeconds 0.5
        ($found | Where-Object Label -EQ 'wren').StartSeconds | Should -Be @(0.5, 1, 1.5)
        ($found | Where-Object Label -EQ 'bat').StartSeconds | Should -Be @(3.5, 4)
        $found[0].Count | Should -Be 32000
        $set = $found | New-SegmentSet -Name detections
        $set.Rows | Should -Be 5
        (Get-Segment detections | Where-Object { $_.Labels.Label -eq 'bat' }).Count | Should -Be 2
        $pictures = $found | Select-Object -First 1 | Export-Spectrogram -Destination (New-TestFolder 'pictures')
        $pictures.Count | Should -Be 1
        # Rows in: only the windows of the row.
        ([pscustomobject]@{ Id = $id; StartTime = 3.5; Duration = 1 } | Invoke-AudioModel -Path $model -LabelPath $labels -SampleRate 16000 -WindowSeconds 1).Label | Should -Be 'bat'
    }

    It 'feeds mel spectrograms in dB to a model that takes them' {
        $mel = Join-Path $TestDrive 'mel.onnx'
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/reference/make_models.py') mel $mel 16000 2000 5000 64
        $found = Invoke-AudioModel -Path $mel -LabelPath $labels -SampleRate 16000 -WindowSeconds 1 -HopSeconds 0.5 -Spectrogram -MelBands 64 -Decibels
        ($found | Where-Object Label -EQ 'bat').StartSeconds | Should -Be @(3.5, 4)
        { Invoke-AudioModel -Path $mel -SampleRate 16000 -WindowSeconds 1 -Spectrogram -MelBands 40 -Decibels -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidModel*'
    }

    It 'refuses models that do not fit and missing files, with stable ids, before reading' {
        Set-Content -LiteralPath (Join-Path $TestDrive 'three.txt') -Value 'a', 'b', 'c'
        { Invoke-AudioModel -Path $model -LabelPath (Join-Path $TestDrive 'three.txt') -SampleRate 16000 -WindowSeconds 1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidModel*'
        { Invoke-AudioModel -Path $model -SampleRate 16000 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidModel*'
        { Invoke-AudioModel -Path (Join-Path $TestDrive 'none.onnx') -SampleRate 16000 -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound*'
        # A model that loads but fails on its first batch stops the cmdlet with ONNX Runtime's reason.
        $broken = Join-Path $TestDrive 'broken.onnx'
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/reference/make_models.py') broken $broken
        $e = { Invoke-AudioModel -Path $broken -SampleRate 16000 -WindowSeconds 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ModelFailed*' -PassThru
        $e.Exception.Message | Should -Match 'failed on a batch of \d+ windows'
    }
}
