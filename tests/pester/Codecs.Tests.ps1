BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # ffmpeg's decode of a file as raw little-endian float32 bytes.
    function Get-DecodedFloatBytes([string] $Path) {
        $raw = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.raw')
        & ffmpeg -v error -i $Path -f f32le -c:a pcm_f32le $raw
        if ($LASTEXITCODE -ne 0) { throw "ffmpeg could not decode $Path" }
        [IO.File]::ReadAllBytes($raw)
    }

    function ConvertTo-Bytes([float[,]] $Samples) {
        $bytes = [byte[]]::new($Samples.Length * 4)
        [Buffer]::BlockCopy($Samples, 0, $bytes, 0, $bytes.Length)
        $bytes
    }
}

Describe 'Import-Recording -Codec' {
    It 'Auto keeps a 32-bit float field recording exactly as PCM, and its export is the same floats' {
        $bat = TestData 'Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav'
        $out = New-TestFolder
        $null = Mount-ZarrAudio -Uri 'memory://codec-auto' -Create
        $r = Import-Recording -LiteralPath $bat
        $r.Codec | Should -Be 'pcm'
        $r.CodecReason | Should -BeLike 'auto: PCM keeps the float samples exactly*'
        $r.QuantisedFromFloat | Should -BeFalse
        $r.BitsPerSample | Should -Be 32
        $block = Read-Samples -Id $r.Id
        $block.Samples.GetType() | Should -Be ([float[,]])
        $expected = Get-DecodedFloatBytes $bat
        (ConvertTo-Bytes $block.Samples).Length | Should -Be $expected.Length
        [Linq.Enumerable]::SequenceEqual([byte[]](ConvertTo-Bytes $block.Samples), [byte[]]$expected) | Should -BeTrue

        $file = $r | Export-Recording -Destination $out
        & ffprobe -v error -show_entries stream=codec_name -of csv=p=0 $file.FullName | Should -Be 'pcm_f32le'
        [Linq.Enumerable]::SequenceEqual([byte[]](Get-DecodedFloatBytes $file.FullName), [byte[]]$expected) | Should -BeTrue
        (Test-Recording -Id $r.Id).IsValid | Should -BeTrue
        Dismount-ZarrAudio
    }

    It 'Flac quantises float sources and says so; Pcm stores integers as they are' {
        $null = Mount-ZarrAudio -Uri 'memory://codec-named' -Create
        $flac = Import-Recording -LiteralPath (TestData 'Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav') -Codec Flac -Force
        $flac.Codec | Should -Be 'flac'
        $flac.QuantisedFromFloat | Should -BeTrue
        (Read-Samples -Id $flac.Id -Count 10).Samples.GetType() | Should -Be ([int[,]])
        # What reads return, and apart from it what the source held.
        $flac | Select-Object SampleFormat, BitsPerSample, SourceSampleFormat | Should -BeLike '*SampleFormat=int; BitsPerSample=24; SourceSampleFormat=flt*'

        $floats = [float[]]::new(4800); for ($i = 0; $i -lt 4800; $i++) { $floats[$i] = 0.3 * [math]::Sin($i / 7) }
        $aac = Import-Recording -Samples $floats -SampleRate 48000 -Codec Aac
        (Read-Samples -Id $aac.Id -Count 10).Samples.GetType() | Should -Be ([int16[,]])
        $aac | Select-Object SampleFormat, BitsPerSample, QuantisedFromFloat, SourceSampleFormat | Should -BeLike '*SampleFormat=int; BitsPerSample=16; QuantisedFromFloat=True; SourceSampleFormat=flt*'

        $wav = New-TestWav (Join-Path $TestDrive 'pcm.wav') -Rate 384000 -Channels 2 -Seconds 0.5
        $pcm = Import-Recording -LiteralPath $wav -Codec pcm
        $pcm.Codec | Should -Be 'pcm'
        $pcm.CodecReason | Should -Be 'requested'
        $decoded = [int16[]](Get-DecodedInt16 $wav)
        $right = foreach ($i in 1000..5999) { $decoded[2 * $i + 1] }
        Assert-SameSamples (Read-Samples -Id $pcm.Id -Channel 1 -Start 1000 -Count 5000).Channel[0] $right
        Dismount-ZarrAudio
    }

    It 'refuses an unknown codec at binding, and a source a named codec cannot store with the limit, storing nothing' {
        $null = Mount-ZarrAudio -Uri 'memory://codec-bad' -Create
        { Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -Codec Mp3 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ZarrAudio.PowerShell.Commands.ImportRecordingCommand'
        $e = $null
        Import-Recording -Samples ([int16[]](1..10)) -SampleRate 2000000 -Codec Flac -ErrorVariable e -ErrorAction SilentlyContinue
        Get-ErrorId $e[0] | Should -Be 'UnsupportedSource'
        $e[0].Exception.Message | Should -BeLike '*1,048,575 Hz*'
        Get-RecordingMeta | Should -BeNullOrEmpty
        $fast = Import-Recording -Samples ([int16[]](1..10)) -SampleRate 2000000
        $fast.Codec | Should -Be 'pcm'
        $fast.SampleRate | Should -Be 2000000
        Dismount-ZarrAudio
    }

    It 'completes -Codec with the codecs the engine knows' {
        $names = (TabExpansion2 -inputScript 'Import-Recording -Codec ' -cursorColumn 24).CompletionMatches.CompletionText
        $names | Should -Be @('Auto', 'Flac', 'Pcm', 'Aac')
    }

    It 'stores AAC with -Bitrate, reads Int16 at the true rate, verifies, exports a copy, and refuses a bitrate out of range' {
        $out = New-TestFolder
        $wav = Join-Path $TestDrive 'bat.wav'
        & sox -n -r 256000 -b 16 -c 1 $wav synth 1 sine 40000 vol 0.3
        $null = Mount-ZarrAudio -Uri 'memory://codec-aac' -Create
        $r = Import-Recording -LiteralPath $wav -Codec Aac -Bitrate 256000
        $r.Codec | Should -Be 'aac'
        $r.SampleRate | Should -Be 256000
        $r.StoredBytes | Should -BeLessThan 40000
        $block = Read-Samples -Id $r.Id -Start 1000 -Count 2560
        $block.Samples.GetType() | Should -Be ([int16[,]])
        # A 40 kHz tone at 256 kHz: 6.4 samples a period, so each sample's sign repeats the source's within a few.
        $source = [int16[]](Get-DecodedInt16 $wav)
        $agree = 0
        for ($i = 0; $i -lt 2560; $i++) { if ([Math]::Sign($block.Channel[0][$i]) -eq [Math]::Sign($source[1000 + $i])) { $agree++ } }
        $agree | Should -BeGreaterThan 2400
        (Test-Recording -Id $r.Id).IsValid | Should -BeTrue

        $e = $null
        Import-Recording -LiteralPath $wav -Codec Aac -Bitrate 1000 -Force -ErrorVariable e -ErrorAction SilentlyContinue
        Get-ErrorId $e[0] | Should -Be 'UnsupportedSource'
        $e[0].Exception.Message | Should -BeLike '*64,000 to 1,536,000 bit/s*'

        $audible = Join-Path $TestDrive 'wren.wav'
        & sox -n -r 48000 -b 16 -c 2 $audible synth 2 pinknoise vol 0.3
        $a = Import-Recording -LiteralPath $audible -Codec Aac
        $file = $a | Export-Recording -Destination (Join-Path $out 'wren.m4a')
        & ffprobe -v error -show_entries stream=codec_name,sample_rate,channels -of csv=p=0 $file.FullName | Should -Be 'aac,48000,2'
        Dismount-ZarrAudio
    }

    It 'takes each codec''s options as parameters and in -CodecOption, and refuses the ones the codec does not take before reading any file' {
        $null = Mount-ZarrAudio -Uri 'memory://codec-options' -Create
        (Get-Command Import-Recording).Parameters.Keys | Should -Contain 'CompressionLevel'
        (Get-Command Import-Recording).Parameters.Keys | Should -Contain 'Bitrate'
        $samples = [int16[]]::new(4800)
        (Import-Recording -Samples $samples -SampleRate 48000 -CompressionLevel 8).CodecSettings | Should -Be 'flac level 8, blocksize 4096'
        (Import-Recording -Samples $samples -SampleRate 48000 -CodecOption @{ compressionlevel = 0 }).CodecSettings | Should -Be 'flac level 0, blocksize 1152'
        (Import-Recording -Samples $samples -SampleRate 48000 -Codec Aac -CodecOption @{ Bitrate = 64000 }).CodecSettings | Should -Be 'aac 64,000 bit/s'
        { Import-Recording -Samples $samples -SampleRate 48000 -CompressionLevel 9 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ZarrAudio.PowerShell.Commands.ImportRecordingCommand'

        $before = @(Get-RecordingMeta).Count
        $wav = Join-Path $TestDrive 'options.wav'
        & sox -n -r 8000 -b 16 -c 1 $wav synth 0.2 sine 440
        foreach ($bad in @(@{ Codec = 'Pcm'; CompressionLevel = 3 }, @{ CodecOption = @{ Quality = 3 } }, @{ CodecOption = @{ CompressionLevel = 'high' } })) {
            $e = $null
            try { Import-Recording -LiteralPath $wav, $wav @bad -ErrorAction Stop } catch { $e = $_ }
            Get-ErrorId $e | Should -Be 'InvalidCodecOption'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        @(Get-RecordingMeta).Count | Should -Be $before
        Dismount-ZarrAudio
    }
}
