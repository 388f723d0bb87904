BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Hostile user metadata' {
    BeforeAll { $null = Mount-ZarrAudio -Uri 'memory://hostile' -Create; $null = Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000 -Name base }
    AfterAll { Dismount-ZarrAudio -All }

    # Issue 9, item 8: a self-referencing hashtable killed the process ("Stack overflow.", exit 134).
    It 'refuses a hashtable that contains itself, naming the key, in a process that lives on' {
        $pwsh = Join-Path $PSHOME 'pwsh'
        $output = & $pwsh -NoProfile -NonInteractive -Command @"
Import-Module '$Manifest'
Mount-ZarrAudio -Uri memory://cycle -Create | Out-Null
`$h = @{ name = 'loop' }; `$h.self = `$h
try { Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -UserMeta @{ site = `$h } -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
try { Set-RecordingMeta -Id 1 -UserMeta `$h -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }
'alive'
"@ 2>&1
        $LASTEXITCODE | Should -Be 0
        $output[0] | Should -BeLike 'InvalidUserMetadata,*'
        $output[1] | Should -Match "site\.self"
        $output[2] | Should -BeLike 'InvalidUserMetadata,*'
        $output[-1] | Should -Be 'alive'
    }

    It 'refuses metadata nested too deep' {
        $deep = @{}; $at = $deep
        1..100 | ForEach-Object { $at.next = @{}; $at = $at.next }
        { Set-RecordingMeta -Id 1 -UserMeta $deep -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidUserMetadata,*'
    }

    It 'refuses values that are not data instead of storing their ToString()' {
        $e = { Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -UserMeta @{ handler = { 'code' } } } | Should -Throw -ErrorId 'InvalidUserMetadata,*' -PassThru
        $e.Exception.Message | Should -Match "handler"
        $e.Exception.Message | Should -Match 'ScriptBlock'
        { Set-RecordingMeta -Id 1 -UserMeta @{ proc = (Get-Process -Id $PID) } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidUserMetadata,*'
        @(Get-RecordingMeta).Count | Should -Be 1
        (Get-RecordingMeta -Id 1).User.Count | Should -Be 0
    }
}

# Issue 8, item 9: dates in user metadata came back as strings.
Describe 'Dates in user metadata' {
    BeforeAll { $null = Mount-ZarrAudio -Uri 'memory://dates' -Create }
    AfterAll { Dismount-ZarrAudio -All }

    It 'round-trips [datetime] and [datetimeoffset] and filters on them' {
        $seen = [datetime]::new(2024, 5, 31, 22, 39, 11, [DateTimeKind]::Utc)
        $deployed = [datetimeoffset]::new(2024, 5, 30, 18, 0, 0, [timespan]::FromHours(2))
        $null = Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -UserMeta @{ seen = $seen; deployed = $deployed; note = '2024-05-31' }
        $user = (Get-RecordingMeta -Id 1).User
        $user.seen | Should -BeOfType [datetime]
        $user.seen | Should -Be $seen
        $user.deployed | Should -BeOfType [datetimeoffset]
        $user.deployed | Should -Be $deployed
        $user.deployed.Offset | Should -Be ([timespan]::FromHours(2))
        $user.note | Should -BeOfType [string]
        @(Get-RecordingMeta | Where-Object { $_.User.seen -gt [datetime]'2024-01-01' }).Count | Should -Be 1
    }
}

# Issue 9, item 10 and issue 8, item 6: float NaN became 0 and ±Infinity full scale, silently; values beyond
# [-1, 1] were clipped silently.
Describe 'Float samples that cannot be stored as they are' {
    BeforeAll { $null = Mount-ZarrAudio -Uri 'memory://floats' -Create }
    AfterAll { Dismount-ZarrAudio -All }

    It 'with -Codec Flac, warns how many samples were NaN, infinite or clipped and where, and keeps the counts' {
        $samples = [float[]]::new(8000)
        $samples[100] = [float]::NaN; $samples[101] = [float]::PositiveInfinity; $samples[5000] = 1.5; $samples[5001] = -2
        $r = Import-Recording -Samples $samples -SampleRate 8000 -Name odd -Codec Flac -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -Be 2
        $w[0].Message | Should -Match '2 samples were NaN or infinite'
        $w[0].Message | Should -Match 'frame 100'
        $w[1].Message | Should -Match '2 samples lay outside'
        $w[1].Message | Should -Match 'frame 5000'
        $r.NonFiniteSamples | Should -Be 2
        $r.ClippedSamples | Should -Be 2
        $block = Read-Samples -Id $r.Id -Start 100 -Count 2
        $block.Channel[0] | Should -Be @(0, 8388607)
    }

    It 'imports a float WAV file with a NaN exactly (Auto), or with a warning (-Codec Flac), never silently changed' {
        $path = Join-Path $TestDrive 'nan.wav'
        # A 32-bit float WAV whose sample 10 is NaN, written byte by byte (sox and ffmpeg will not make one).
        $data = [float[]]::new(800); $data[10] = [float]::NaN
        $bytes = [byte[]]::new($data.Length * 4); [Buffer]::BlockCopy($data, 0, $bytes, 0, $bytes.Length)
        $null = New-RawWav $path -Format 3 -Rate 8000 -Bits 32 -Data $bytes
        $r = Import-Recording -LiteralPath $path -Codec Flac -WarningVariable warned -WarningAction SilentlyContinue
        $r.NonFiniteSamples | Should -Be 1
        $warned[0].Message | Should -Match 'frame 10'

        $exact = Import-Recording -LiteralPath $path -Force -WarningVariable none
        $none | Should -BeNullOrEmpty
        $exact.Codec | Should -Be 'pcm'
        $exact.NonFiniteSamples | Should -Be 0
        [float]::IsNaN((Read-Samples -Id $exact.Id -Start 10 -Count 1).Channel[0][0]) | Should -BeTrue
    }
}
