BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# Issue 9, item 7: one recording's malformed zarr.json made Get-RecordingMeta list nothing (a terminating
# ZarrMetadataException, category NotSpecified).
Describe 'One damaged recording does not hide the others' {
    BeforeAll {
        $folder = New-TestFolder
        $null = Mount-ZarrAudio -Path $folder -Create
        1..3 | ForEach-Object { $null = Import-Recording -Samples ([int16[]](1..(100 * $_))) -SampleRate 8000 -Name "r$_" }
        Set-Content -LiteralPath (Join-Path $folder '2/zarr.json') -Value '{ "zarr_format": 3, "node_type": "group", "attributes": '
    }
    AfterAll { Dismount-ZarrAudio -All }

    It 'lists the others and writes one CorruptRecording error naming the damaged id' {
        $listed = Get-RecordingMeta -ErrorVariable e -ErrorAction SilentlyContinue
        $listed.Id | Should -Be @(1, 3)
        $e.Count | Should -Be 1
        Get-ErrorId $e[0] | Should -Be 'CorruptRecording'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $e[0].TargetObject | Should -Be 2
        $e[0].Exception.Message | Should -Match 'Recording 2'
    }

    It 'says CorruptRecording for the damaged id when asked for it' {
        Get-RecordingMeta -Id 2, 3 -ErrorVariable e -ErrorAction SilentlyContinue | ForEach-Object Id | Should -Be 3
        Get-ErrorId $e[0] | Should -Be 'CorruptRecording'
    }
}

Describe 'Damaged audio data' {
    BeforeEach {
        $folder = New-TestFolder
        $null = Mount-ZarrAudio -Path $folder -Create
        $wav = New-TestWav (Join-Path $TestDrive 'noise.wav') -Rate 48000 -Channels 2 -Seconds 20
        $null = Import-Recording -LiteralPath $wav
        Dismount-ZarrAudio
        $shard = Join-Path $folder '1/flac0/c/0'
    }
    AfterEach { Dismount-ZarrAudio -All }

    It 'reports a truncated shard as CorruptRecording and Test-Recording finds it' {
        $bytes = [IO.File]::ReadAllBytes($shard)
        [IO.File]::WriteAllBytes($shard, $bytes[0..($bytes.Length / 2)])
        $null = Mount-ZarrAudio -Path $folder
        Read-Samples -Id 1 -Start 0 -Count 4800 -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $e[0] | Should -Be 'CorruptRecording'
        (Test-Recording -Id 1).IsValid | Should -BeFalse
    }

    It 'reports a flipped byte inside a frame as CorruptRecording, never other samples' {
        $bytes = [IO.File]::ReadAllBytes($shard)
        $bytes[100000] = $bytes[100000] -bxor 0x40
        [IO.File]::WriteAllBytes($shard, $bytes)
        $null = Mount-ZarrAudio -Path $folder
        $results = foreach ($start in (0..40 | ForEach-Object { $_ * 4800 })) {
            try { $null = Read-Samples -Id 1 -Start $start -Count 4800 -ErrorAction Stop; 'ok' } catch { Get-ErrorId $_ }
        }
        $results | Where-Object { $_ -ne 'ok' } | Select-Object -Unique | Should -Be 'CorruptRecording'
        (Test-Recording -Id 1).IsValid | Should -BeFalse
    }

    It 'reports a deleted shard as CorruptRecording, not silence' {
        Remove-Item -LiteralPath $shard
        $null = Mount-ZarrAudio -Path $folder
        Read-Samples -Id 1 -Start 0 -Count 4800 -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $e[0] | Should -Be 'CorruptRecording'
        (Test-Recording -Id 1).Problems | Should -Match 'missing'
    }
}

# Issue 20: a WAV whose data chunk is shorter than its header says (an SD card fault) imported without a word.
Describe 'A truncated source file' {
    It 'imports what is there with a warning, flags the recording, and Test-Recording says so' {
        $wav = New-TestWav (Join-Path $TestDrive 'cut.wav') -Rate 16000 -Channels 1 -Seconds 16
        $bytes = [IO.File]::ReadAllBytes($wav)
        $cut = Join-Path $TestDrive 'cut-short.wav'
        [IO.File]::WriteAllBytes($cut, $bytes[0..(30KB - 1)])
        $null = Mount-ZarrAudio -Uri 'memory://truncated' -Create
        $r = Import-Recording -LiteralPath $cut -WarningVariable warned
        $warned | Should -Match 'truncated: its header declares 256,000 samples'
        $r.DeclaredSampleCount | Should -Be 256000
        $r.SampleCount | Should -BeLessThan 16000
        $report = Test-Recording -Id $r.Id -WarningVariable checked
        $report.IsValid | Should -BeTrue
        $report.Warnings | Should -Match 'the source was truncated'
        $checked | Should -Match 'the source was truncated'
        # A whole file is not flagged.
        (Import-Recording -LiteralPath $wav).DeclaredSampleCount | Should -BeNullOrEmpty
        Dismount-ZarrAudio
    }
}

# Issue 20: a FLAC stream whose rate changes midway was resampled by ffmpeg into one "lossless" recording.
Describe 'A FLAC source that changes format midway' {
    BeforeAll {
        $folder = New-TestFolder
        function New-Flac([string] $Name, [int] $Rate, [int] $Channels) {
            $wav = Join-Path $folder "$Name.wav"
            & sox -n -r $Rate -b 16 -c $Channels $wav synth 1 sine 440 vol 0.5
            & flac -s -f -o (Join-Path $folder "$Name.flac") $wav
            [IO.File]::ReadAllBytes((Join-Path $folder "$Name.flac"))
        }
        # The frames of the second file follow the first's: no metadata between them, as a recorder that changed settings writes.
        function Get-Frames([byte[]] $Bytes) {
            $at = 4
            do { $last = ($Bytes[$at] -band 0x80) -ne 0; $at += 4 + ($Bytes[$at + 1] * 65536 + $Bytes[$at + 2] * 256 + $Bytes[$at + 3]) } until ($last)
            $at
        }
        $a = New-Flac 'a' 32000 1
        $b = New-Flac 'b' 24000 1
        $mixed = Join-Path $folder 'mixed.flac'
        [IO.File]::WriteAllBytes($mixed, [byte[]]($a + $b[(Get-Frames $b)..($b.Length - 1)]))
        $null = Mount-ZarrAudio -Uri 'memory://format-change' -Create
    }
    AfterAll { Dismount-ZarrAudio -All }

    It 'is refused with SourceFormatChanged naming the sample and both rates, storing nothing' {
        Import-Recording -LiteralPath $mixed -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $e[0] | Should -Be 'SourceFormatChanged'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $e[0].Exception.Message | Should -Match 'at sample 32,000 .*from 32,000 Hz.* to 24,000 Hz'
        @(Get-RecordingMeta).Count | Should -Be 0
    }

    It 'keeps an ordinary FLAC file''s frames, and refuses one whose MD5 does not match unless told to keep it' {
        $plain = Join-Path $folder 'a.flac'
        $kept = Import-Recording -LiteralPath $plain
        $kept.CodecSettings | Should -BeLike "flac (the source's frames)*"
        (Test-Recording -Id $kept.Id).IsValid | Should -BeTrue

        $bytes = [IO.File]::ReadAllBytes($plain)
        $bytes[8 + 18 + 2] = $bytes[8 + 18 + 2] -bxor 0xFF # a byte of STREAMINFO's MD5
        $bad = Join-Path $folder 'bad-md5.flac'
        [IO.File]::WriteAllBytes($bad, $bytes)
        Import-Recording -LiteralPath $bad -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $e[0] | Should -Be 'SourceChecksumMismatch'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $r = Import-Recording -LiteralPath $bad -IgnoreSourceChecksum -WarningVariable warned
        $warned | Should -Match 'do not match its own MD5'
        (Test-Recording -Id $r.Id).IsValid | Should -BeTrue
        Remove-Recording -Id $kept.Id, $r.Id -Confirm:$false
    }

    It 'becomes one recording per part with -SplitOnFormatChange, each at its own rate' {
        $parts = Import-Recording -LiteralPath $mixed -SplitOnFormatChange
        $parts.SampleRate | Should -Be @(32000, 24000)
        $parts.SampleCount | Should -Be @(32000, 24000)
        $parts | ForEach-Object { $_.File.part.number } | Should -Be @(1, 2)
    }
}

Describe 'FLAC streams with frames missing, and Ogg FLAC' {
    BeforeAll {
        $folder = New-TestFolder
        $wav = Join-Path $folder 'source.wav'
        & sox -n -r 48000 -b 16 -c 1 $wav synth 3 pinknoise vol 0.3
        $flac = Join-Path $folder 'source.flac'
        & flac -s -f -o $flac $wav
        $null = Mount-ZarrAudio -Uri 'memory://missing-frames' -Create
    }
    AfterAll { Dismount-ZarrAudio -All }

    It 'refuses a stream with frames cut out of its middle, which libFLAC would fill with silence' {
        & flac -s -a -o (Join-Path $folder 'source.ana') $flac
        $offsets = @(Select-String -LiteralPath (Join-Path $folder 'source.ana') -Pattern '^frame=\d+\s+offset=(\d+)' | ForEach-Object { [int]$_.Matches[0].Groups[1].Value })
        $bytes = [IO.File]::ReadAllBytes($flac)
        $gap = [byte[]]($bytes[0..($offsets[10] - 1)] + $bytes[$offsets[12]..($bytes.Length - 1)])
        [Array]::Clear($gap, 8 + 18, 16) # no MD5 to catch it
        $path = Join-Path $folder 'gap.flac'
        [IO.File]::WriteAllBytes($path, $gap)
        Import-Recording -LiteralPath $path -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $e[0] | Should -Be 'UnsupportedSource'
        $e[0].Exception.Message | Should -Match 'samples in the middle are missing'
        @(Get-RecordingMeta).Count | Should -Be 0
    }

    It 'imports an Ogg FLAC file through libFLAC, with its STREAMINFO, and reads it as flac -d does' {
        $oga = Join-Path $folder 'source.oga'
        & flac -s -f --ogg -o $oga $wav
        $r = Import-Recording -LiteralPath $oga
        $r.SourceContainer | Should -Be 'ogg'
        $r.SourceCodec | Should -Be 'flac'
        $r.File.flac.streaminfo.md5 | Should -Match '^[0-9a-f]{32}$'
        (Test-Recording -Id $r.Id).IsValid | Should -BeTrue
        $raw = Join-Path $folder 'reference.raw'
        & flac -s -f -d --ogg --force-raw-format --endian=little --sign=signed -o $raw $oga
        $reference = [int16[]]::new((Get-Item -LiteralPath $raw).Length / 2)
        [Buffer]::BlockCopy([IO.File]::ReadAllBytes($raw), 0, $reference, 0, $reference.Length * 2)
        $block = Read-Samples -Id $r.Id -Start 1000 -Count 500 # 16-bit samples read as Int16
        @($block.Channel[0]) | Should -Be @($reference[1000..1499])
    }
}
