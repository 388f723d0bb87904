using System.Runtime.InteropServices;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// FLAC sources read by libFLAC: every depth bit-exact against `flac -d`, format changes refused (never resampled or
/// remixed), the source's MD5 checked, streams without STREAMINFO, and metadata blocks kept or reported.
/// </summary>
public sealed class FlacSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<AudioArchive> NewArchive() => AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);

    private string Flac(string name, int rate, int bits, int channels, double seconds, params string[] flacOptions)
    {
        var wav = AudioFixtures.MakeWav(_dir, name + ".wav", rate, bits, channels, seconds);
        var flac = _dir.Combine(name + ".flac");
        ProcessRunner.Run("flac", ["-s", "-f", "-5", .. flacOptions, "-o", flac, wav]);
        return flac;
    }

    /// <summary>A FLAC stream's metadata and its frames, split at the first frame.</summary>
    private static (byte[] Header, byte[] Frames) Split(string flac)
    {
        var d = File.ReadAllBytes(flac);
        var at = 4;
        while (true)
        {
            var last = (d[at] & 0x80) != 0;
            at += 4 + (d[at + 1] << 16 | d[at + 2] << 8 | d[at + 3]);
            if (last) break;
        }
        return (d[..at], d[at..]);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)] // ffmpeg 5.1 cannot decode it: it was refused as "holds no audio samples"
    public async Task EveryDepthImportsBitExactAgainstTheReferenceDecoder(int bits)
    {
        var flac = Flac($"depth{bits}", 48_000, bits, 2, 1.5);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(flac);
        Assert.Equal(bits, recording.Technical.BitsPerSample);
        Assert.Equal(AudioFixtures.FlacDecode(_dir, flac, bits), AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
        Assert.NotNull(recording.Technical.SourceMd5);
        Assert.Null(recording.Technical.SourceMd5Decoded);
    }

    [Fact]
    public async Task AFlacFileKeepsItsOwnFramesByteForByteAndReadsExactlyAnywhere()
    {
        var flac = Flac("card", 48_000, 16, 2, 3);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(flac);
        Assert.Equal("copied from the source", recording.Technical.Extension("flac")!["frames"]!.GetValue<string>());
        Assert.EndsWith("the source's frames are kept as they are", recording.Technical.CodecReason);
        // The stored stream is the file's frames, byte for byte.
        var (_, frames) = Split(flac);
        var stream = await ZarrAudio.Zarr.ZarrArray.OpenAsync(archive.Store, $"{recording.Id}/flac0");
        Assert.Equal(frames.Length, stream.Shape[0]);
        Assert.Equal(frames, await stream.ReadAsync<byte>([0], stream.Shape));
        var reference = AudioFixtures.FlacDecode(_dir, flac, 16);
        Assert.Equal(reference, AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
        Assert.Equal(reference[(2 * 100_001)..(2 * 100_501)], AudioFixtures.Flatten((await recording.ReadAsync(100_001, 500)).Samples));
        Assert.True((await recording.VerifyAsync()).IsValid);
        // A setting of the codec asked for means encoding again.
        var encoded = await archive.ImportFileAsync(flac, new ImportOptions { Force = true, CodecOptions = new ZarrAudio.Codecs.CodecOptions([new("CompressionLevel", 8)]) });
        Assert.Equal(8, encoded.Technical.Extension("flac")!["compression_level"]!.GetValue<int>());
        Assert.Equal(reference, AudioFixtures.Flatten((await encoded.ReadAsync(0, encoded.SampleCount)).Samples));
    }

    [Fact]
    public async Task ARateOrChannelChangeMidwayIsRefusedNamingTheSampleAndBothFormats()
    {
        var (head, first) = Split(Flac("first", 32_000, 16, 1, 1));
        var (_, slower) = Split(Flac("slower", 24_000, 16, 1, 1));
        var (_, stereo) = Split(Flac("stereo", 32_000, 16, 2, 1));
        var rate = _dir.Combine("rate.flac");
        var channels = _dir.Combine("channels.flac");
        File.WriteAllBytes(rate, [.. head, .. first, .. slower]);
        File.WriteAllBytes(channels, [.. head, .. first, .. stereo]);
        using var archive = await NewArchive();
        // ffmpeg resampled the second part to 32 kHz and called the result one lossless recording.
        var changed = await Assert.ThrowsAsync<SourceFormatChangedException>(() => archive.ImportFileAsync(rate));
        Assert.Equal(32_000, changed.AtSample);
        Assert.Contains("from 32,000 Hz, 1 channel, 16-bit to 24,000 Hz, 1 channel, 16-bit", changed.Message);
        changed = await Assert.ThrowsAsync<SourceFormatChangedException>(() => archive.ImportFileAsync(channels));
        Assert.Contains("to 32,000 Hz, 2 channels, 16-bit", changed.Message);
        Assert.Empty(await archive.ListIdsAsync());
    }

    [Fact]
    public async Task SplitOnFormatChangeStoresEachPartBitExactLinkedByTheSourceAndOnlyOnce()
    {
        var firstFlac = Flac("part1", 32_000, 16, 1, 1);
        var secondFlac = Flac("part2", 48_000, 24, 2, 0.5);
        var (head, first) = Split(firstFlac);
        var (_, second) = Split(secondFlac);
        var mixed = _dir.Combine("mixed.flac");
        File.WriteAllBytes(mixed, [.. head, .. first, .. second]);
        using var archive = await NewArchive();
        var parts = await archive.ImportFilePartsAsync(mixed, new ImportOptions { RecordedAt = (new DateTime(2024, 5, 3, 21, 30, 0), TimeSpan.FromHours(2)) });
        Assert.Equal(2, parts.Count);
        // The second part starts when the first (1 s) ends.
        Assert.Equal([new DateTime(2024, 5, 3, 19, 30, 0), new DateTime(2024, 5, 3, 19, 30, 1)], parts.Select(p => p.Technical.RecordedAt!.Value));
        Assert.Equal(new DateTimeOffset(2024, 5, 3, 21, 30, 1, TimeSpan.FromHours(2)), Metadata.RecordingTime.Local(parts[1].Technical));
        Assert.Equal((32_000, 1, 16, 32_000L), (parts[0].SampleRate, parts[0].Channels, parts[0].Technical.BitsPerSample, parts[0].SampleCount));
        Assert.Equal((48_000, 2, 24, 24_000L), (parts[1].SampleRate, parts[1].Channels, parts[1].Technical.BitsPerSample, parts[1].SampleCount));
        Assert.Equal(AudioFixtures.FlacDecode(_dir, firstFlac, 16), AudioFixtures.Flatten((await parts[0].ReadAsync(0, parts[0].SampleCount)).Samples));
        Assert.Equal(AudioFixtures.FlacDecode(_dir, secondFlac, 24), AudioFixtures.Flatten((await parts[1].ReadAsync(0, parts[1].SampleCount)).Samples));
        var sha = parts[0].Metadata.Source.Sha256;
        Assert.All(parts, p => Assert.Equal(sha, p.Metadata.File["part"]!["source_sha256"]!.GetValue<string>()));
        Assert.Equal([1, 2], parts.Select(p => p.Metadata.File["part"]!["number"]!.GetValue<int>()));
        Assert.Equal(32_000, parts[1].Metadata.File["part"]!["source_start_sample"]!.GetValue<long>());
        // Again: the parts are already there.
        await Assert.ThrowsAsync<DuplicateRecordingException>(() => archive.ImportFilePartsAsync(mixed));
        Assert.Equal(2, (await archive.ListIdsAsync()).Count);
        // An ordinary file is one part.
        Assert.Single(await archive.ImportFilePartsAsync(firstFlac));
    }

    [Fact]
    public async Task AStreamWithoutStreamInfoImportsItsFramesExactly()
    {
        var flac = Flac("multicast", 44_100, 16, 2, 1);
        var (_, frames) = Split(flac);
        var bare = _dir.Combine("bare.flac");
        File.WriteAllBytes(bare, frames);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(bare);
        Assert.Equal((44_100, 2), (recording.SampleRate, recording.Channels));
        Assert.Equal(AudioFixtures.FlacDecode(_dir, flac, 16), AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
        Assert.Null(recording.Technical.SourceMd5); // nothing to check against
    }

    [Fact]
    public async Task ASourceThatFailsItsOwnMd5IsRefusedOrKeptWithBothMd5sOnRequest()
    {
        var flac = Flac("md5", 48_000, 16, 1, 1);
        var bytes = File.ReadAllBytes(flac);
        bytes[8 + 18 + 5] ^= 0x5A; // a byte of STREAMINFO's MD5
        File.WriteAllBytes(flac, bytes);
        using var archive = await NewArchive();
        var refused = await Assert.ThrowsAsync<SourceChecksumException>(() => archive.ImportFileAsync(flac));
        Assert.NotEqual(refused.Declared, refused.Decoded);
        Assert.Empty(await archive.ListIdsAsync());
        var kept = await archive.ImportFileAsync(flac, new ImportOptions { IgnoreSourceChecksum = true });
        Assert.Equal(refused.Declared, kept.Technical.SourceMd5);
        Assert.Equal(refused.Decoded, kept.Technical.SourceMd5Decoded);
        Assert.Contains(kept.SourceWarnings(), w => w.Contains(refused.Decoded));
        // Its frames were kept as they are, signed by the samples they hold: the archive's own check passes.
        Assert.NotNull(kept.Technical.Extension("flac")!["frames"]);
        Assert.True((await kept.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task AMetadataBlockLongerThanTheFileIsNamedNotCalledEmpty()
    {
        var flac = Flac("badblock", 8_000, 16, 1, 0.5);
        var bytes = File.ReadAllBytes(flac);
        bytes[4 + 34 + 4 + 1] = 0x7F; // the second block's length: about 8 MB
        File.WriteAllBytes(flac, bytes);
        using var archive = await NewArchive();
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(flac));
        Assert.Contains("past the end of the file", e.Message);
        Assert.DoesNotContain("holds no audio samples", e.Message);
    }

    [Fact]
    public async Task CommentsACueSheetAndSmallPicturesAreKeptLargePicturesReportedWithTheirSize()
    {
        var small = _dir.Combine("small.png");
        var large = _dir.Combine("large.png");
        File.WriteAllBytes(small, PngLike(2_000, 1));
        File.WriteAllBytes(large, PngLike(400_000, 2));
        var cue = _dir.Combine("disc.cue");
        File.WriteAllText(cue, "FILE \"disc.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:01:00\n");
        var flac = Flac("tagged", 44_100, 16, 2, 2, "-T", "SPECIES=Troglodytes troglodytes", "-T", "SPECIES=Erithacus rubecula",
            "--picture", $"3||front|1x1x24/0|{small}", "--picture", $"4||back|1x1x24/0|{large}", $"--cuesheet={cue}");
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(flac);
        var meta = recording.Metadata.File["flac"]!;
        Assert.Equal(["Troglodytes troglodytes", "Erithacus rubecula"], meta["comments"]!["SPECIES"]!.AsArray().Select(v => v!.GetValue<string>()));
        var pictures = meta["pictures"]!.AsArray();
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(small)), pictures[0]!["data_base64"]!.GetValue<string>());
        Assert.False(pictures[1]!["kept"]!.GetValue<bool>());
        Assert.Equal(400_000, pictures[1]!["bytes"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(large))).ToLowerInvariant(), pictures[1]!["sha256"]!.GetValue<string>());
        Assert.Contains(recording.SourceWarnings(), w => w.Contains("400,000 bytes"));
        var tracks = meta["cuesheet"]!["tracks"]!.AsArray();
        Assert.Equal(44_100UL, tracks[1]!["offset"]!.GetValue<ulong>()); // track 2 at one second
    }

    /// <summary>Bytes that start as a PNG does (flac checks the signature only for the MIME type it guesses).</summary>
    private static byte[] PngLike(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>
    /// libFLAC 1.4 fills a gap in the frame numbers (up to 50 frames) with silence and reports nothing (`flac -t`
    /// says "ok"); without an MD5 to catch it, the silence was stored as the source's samples.
    /// </summary>
    [Fact]
    public async Task AFrameMissingInTheMiddleIsRefusedNotFilledWithSilence()
    {
        var flac = Flac("gap", 48_000, 16, 1, 3);
        var analysis = _dir.Combine("gap.ana");
        ProcessRunner.Run("flac", ["-s", "-a", "-o", analysis, flac]);
        var offsets = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(analysis), @"^frame=\d+\s+offset=(\d+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        var bytes = File.ReadAllBytes(flac);
        byte[] gap = [.. bytes[..offsets[10]], .. bytes[offsets[12]..]]; // frames 10 and 11 taken out
        Array.Clear(gap, 8 + 18, 16); // STREAMINFO's MD5: none
        var path = _dir.Combine("gap-nomd5.flac");
        File.WriteAllBytes(path, gap);
        using var archive = await NewArchive();
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(path, new ImportOptions { Codec = "flac", CodecOptions = new ZarrAudio.Codecs.CodecOptions([new("CompressionLevel", 5)]) }));
        Assert.True(e.Message.Contains("frames are missing before byte") && e.Message.Contains("after sample 40,960"), e.Message);
        // Kept as they are, the frames are checked by the scanner: it refuses to keep them, and the decode refuses too.
        await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(path));
        Assert.Empty(await archive.ListIdsAsync());
    }

    [Fact]
    public async Task DigitalSilenceIsNotTakenForLibFlacsFiller()
    {
        // Noise turning to exact zeros for a minute and back, at 8 kHz (4096-sample frames: every carry of the frame number).
        var wav = _dir.Combine("silence.wav");
        ProcessRunner.Run("sox", ["-D", "-n", "-r", "8000", "-b", "16", "-c", "2", wav, "synth", "1", "whitenoise", "vol", "0.3", "pad", "0", "60", ":", "synth", "1", "pinknoise"]);
        var flac = _dir.Combine("silence.flac");
        ProcessRunner.Run("flac", ["-s", "-f", "-5", "-o", flac, wav]);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(flac, new ImportOptions { Codec = "flac", CodecOptions = new ZarrAudio.Codecs.CodecOptions([new("CompressionLevel", 5)]) });
        Assert.Equal(AudioFixtures.FlacDecode(_dir, flac, 16), AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
    }

    [Fact]
    public async Task ATruncatedFlacImportsWhatItHoldsFlaggedAndDamageInTheMiddleIsRefused()
    {
        var flac = Flac("cut", 48_000, 16, 1, 4);
        var bytes = File.ReadAllBytes(flac);
        var cut = _dir.Combine("cut-half.flac");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(cut);
        Assert.Equal(192_000, recording.Technical.DeclaredSampleCount);
        Assert.InRange(recording.SampleCount, 1, 191_999);
        var reference = AudioFixtures.FlacDecode(_dir, flac, 16);
        Assert.Equal(reference[..(int)recording.SampleCount], AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));

        var damaged = _dir.Combine("damaged.flac");
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++) bytes[i] ^= 0xFF;
        File.WriteAllBytes(damaged, bytes);
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(damaged));
        Assert.Contains("is damaged", e.Message);
    }
}
