BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Training batches' {
    BeforeAll {
        $archive = Mount-ZarrAudio -Path (New-TestFolder) -Create
        # Six 2 s stereo 48 kHz recordings and a noise recording from the same "site".
        $recordings = 1..6 | ForEach-Object { Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive "r$_.wav") -Rate 48000 -Channels 2 -Seconds 2) }
        $noise = Import-Recording -LiteralPath (New-TestWav (Join-Path $TestDrive 'noise.wav') -Rate 48000 -Seconds 3)
        $rows = $recordings | ForEach-Object { [pscustomobject]@{ Id = $_.Id; StartTime = 0.25; Duration = 1; species = @('wren', 'robin')[$_.Id % 2]; score = $_.Id / 10 } }
        $null = $rows | New-SegmentSet -Name calls
    }
    AfterAll { Dismount-ZarrAudio -ErrorAction SilentlyContinue }

    It 'reads batches of equal crops at the asked rate, every row once per epoch, the same again for the same seed' {
        $aug = @(New-Augmentation -Gain; New-Augmentation -Background $noise -SnrDb 5, 20; New-Augmentation -Mix; New-Augmentation -Speed -Range 0.9, 1.1)
        $a = Read-TrainingBatch -SegmentSet calls -Length 0.5 -SampleRate 16000 -Mono -BatchSize 4 -Epochs 2 -Seed 7 -Augmentation $aug
        $a.Count | Should -Be 4
        $a[0].Shape | Should -Be @(4, 1, 8000)
        $a[1].Shape | Should -Be @(2, 1, 8000)
        ($a | Where-Object Epoch -EQ 0 | ForEach-Object { $_.Examples[0..($_.Count - 1)].Row.SegmentId } | Sort-Object) | Should -Be @(0..5)
        $b = Read-TrainingBatch -SegmentSet calls -Length 0.5 -SampleRate 16000 -Mono -BatchSize 4 -Epochs 2 -Seed 7 -Augmentation $aug -ThrottleLimit 1
        for ($i = 0; $i -lt 4; $i++) {
            [Linq.Enumerable]::SequenceEqual([float[]]$a[$i].Samples, [float[]]$b[$i].Samples) | Should -BeTrue
        }
        $c = Read-TrainingBatch -SegmentSet calls -Length 0.5 -SampleRate 16000 -Mono -BatchSize 4 -Seed 8 -Augmentation $aug
        [Linq.Enumerable]::SequenceEqual([float[]]$a[0].Samples, [float[]]$c[0].Samples) | Should -BeFalse
    }

    It 'takes piped label rows and keeps a crop exactly as Read-Samples reads it' {
        $batch = $rows | Read-TrainingBatch -Length 0.5 -BatchSize 6 -NoShuffle -Channel 1 -Crop Start
        $batch.Shape | Should -Be @(6, 1, 24000)
        $first = $batch.Examples[0]
        $first.CropStart | Should -Be 12000
        $expected = (Read-Samples -Id $first.Row.Id -Start 12000 -Count 24000 -Channel 1 -AsSingle).Samples
        [Linq.Enumerable]::SequenceEqual([float[]]$batch.Samples[0..23999], [float[]]@($expected)) | Should -BeTrue
    }

    It 'writes .npy batches that the Python example loads and checks' {
        $out = New-TestFolder 'npy'
        $aug = @(New-Augmentation -Mix -Probability 1; New-Augmentation -Noise -SnrDb 10, 30)
        $files = Read-TrainingBatch -SegmentSet calls -Length 0.25 -SampleRate 16000 -Mono -BatchSize 4 -LastBatch Pad -Epochs 2 -Augmentation $aug | Export-TrainingBatch -Path $out
        $files.Count | Should -Be 4
        $files[0].Name | Should -Be 'batch-e0000-000000.json'
        $report = & /usr/bin/python3 (Join-Path $RepoRoot 'examples/consume_batches.py') $out 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($report -join "`n")
        $report[-1] | Should -Be 'batches: 4, examples: 12, epochs: [0, 1]'
        $report[1] | Should -Match 'shape \(4, 1, 4000\) at 16000 Hz, 2 examples'
        # numpy's own reading of the samples equals the batch's.
        $b = Read-TrainingBatch -SegmentSet calls -Length 0.25 -SampleRate 16000 -Mono -BatchSize 4 -LastBatch Pad -Augmentation $aug | Select-Object -First 1
        $sum = & /usr/bin/python3 -c "import numpy as np, sys; x = np.load(sys.argv[1]); print(repr(float(x.astype(np.float64).sum())), x.shape)" (Join-Path $out 'batch-e0000-000000.samples.npy')
        $sum | Should -Be ('{0} (4, 1, 4000)' -f [double]([Linq.Enumerable]::Sum([double[]][float[]]$b.Samples)).ToString('R', [cultureinfo]::InvariantCulture))
        { Read-TrainingBatch -SegmentSet calls -Length 0.25 -BatchSize 4 | Select-Object -First 1 | Export-TrainingBatch -Path $out -ErrorAction Stop } | Should -Throw -ErrorId 'ExportTargetExists*'
    }

    It 'stops its workers when a downstream Select-Object -First has what it wants' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $one = Read-TrainingBatch -SegmentSet calls -Length 1 -SampleRate 16000 -BatchSize 2 -Epochs 100000 | Select-Object -First 1
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        $one.Shape | Should -Be @(2, 2, 16000)
    }

    It 'refuses bad options before reading, with stable ids' {
        { New-Augmentation -Noise -SnrDb 30, 3 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTrainingOption*'
        { New-Augmentation -Gain -Probability 1.5 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTrainingOption*'
        { New-Augmentation -Background @() -ErrorAction Stop } | Should -Throw
        { Read-TrainingBatch -SegmentSet calls -Length 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Read-TrainingBatch -SegmentSet calls -Length 1 -SampleRate 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Read-TrainingBatch -SegmentSet calls -Length 1 -BatchSize 7 -LastBatch Drop -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTrainingOption*'
        { Read-TrainingBatch -SegmentSet nothere -Length 1 -ErrorAction Stop } | Should -Throw -ErrorId 'SegmentSetNotFound*'
        $other = Mount-ZarrAudio -Uri 'memory://elsewhere' -Create
        $null = Import-Recording -LiteralPath (Join-Path $TestDrive 'r1.wav') -Archive $other
        { Get-Segment calls -Archive $archive | Read-TrainingBatch -Length 1 -Archive $other -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSegment*'
    }
}
