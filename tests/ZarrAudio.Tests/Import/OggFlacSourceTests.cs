using System.Buffers.Binary;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// Ogg FLAC (<c>flac --ogg</c>) went through ffmpeg: 32-bit files were refused, and the source's MD5 was never
/// checked. It is now read by libFLAC like a native FLAC file: bit-exact against <c>flac -d</c>, MD5 held against
/// STREAMINFO, metadata kept. A chained or multiplexed Ogg stays with ffmpeg, whose format watch refuses a change.
/// </summary>
public sealed class OggFlacSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<AudioArchive> NewArchive() => AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);

    private string OggFlac(string name, int rate, int bits, int channels, double seconds, params string[] flacOptions)
    {
        var wav = AudioFixtures.MakeWav(_dir, name + ".wav", rate, bits, channels, seconds);
        var oga = _dir.Combine(name + ".oga");
        ProcessRunner.Run("flac", ["-s", "-f", "-5", "--ogg", .. flacOptions, "-o", oga, wav]);
        return oga;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)] // ffmpeg 5.1 cannot decode it
    public async Task AnOggFlacFileOfEveryDepthImportsBitExactThroughLibFlac(int bits)
    {
        var oga = OggFlac($"ogg{bits}", 44_100, bits, 2, 1.2, "-T", "SPECIES=Turdus merula");
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(oga);
        Assert.Equal("ogg", recording.Technical.SourceContainer);
        Assert.Equal(bits, recording.Technical.BitsPerSample);
        Assert.Equal(52_920, recording.SampleCount);
        Assert.NotNull(recording.Technical.SourceMd5); // checked against the decoded samples: libFLAC read it
        Assert.Equal(AudioFixtures.FlacDecode(_dir, oga, bits), AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
        Assert.Equal("Turdus merula", recording.Metadata.File["flac"]!["comments"]!["SPECIES"]![0]!.GetValue<string>());
        Assert.NotEqual("copied from the source", recording.Technical.Extension("flac")?["frames"]?.GetValue<string>());
        Assert.True((await recording.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task AnOggFlacFileWhoseSamplesDisagreeWithItsMd5IsRefused()
    {
        var oga = OggFlac("md5", 48_000, 16, 1, 1);
        var bytes = File.ReadAllBytes(oga);
        // STREAMINFO's MD5 is the last 16 bytes of the first packet, on the first page; the page's CRC is made again.
        bytes[27 + bytes[26] + 13 + 4 + 18] ^= 0x5A;
        SetCrc(bytes);
        var bad = _dir.Combine("md5-bad.oga");
        File.WriteAllBytes(bad, bytes);
        using var archive = await NewArchive();
        var e = await Assert.ThrowsAsync<SourceChecksumException>(() => archive.ImportFileAsync(bad));
        Assert.Empty(await archive.ListIdsAsync());
        var kept = await archive.ImportFileAsync(bad, new ImportOptions { IgnoreSourceChecksum = true });
        Assert.NotNull(kept.Technical.SourceMd5Decoded);
        Assert.NotEqual(kept.Technical.SourceMd5, kept.Technical.SourceMd5Decoded);
        Assert.Contains(kept.Technical.SourceMd5!, e.Message);
    }

    [Fact]
    public async Task ATruncatedOggFlacImportsWhatItHoldsFlagged()
    {
        var oga = OggFlac("cut", 48_000, 16, 1, 4);
        var bytes = File.ReadAllBytes(oga);
        var cut = _dir.Combine("cut-half.oga");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(cut);
        Assert.Equal(192_000, recording.Technical.DeclaredSampleCount);
        Assert.InRange(recording.SampleCount, 1, 191_999);
        Assert.Equal(AudioFixtures.FlacDecode(_dir, oga, 16)[..(int)recording.SampleCount], AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
    }

    /// <summary>Found by <see cref="SourceFuzzTests"/>: libogg drops a page that fails its CRC without a word.</summary>
    [Fact]
    public async Task AnOggPageLostInTheMiddleIsRefusedNotStoredAsAShorterStream()
    {
        var oga = OggFlac("lost", 48_000, 16, 1, 6);
        var bytes = File.ReadAllBytes(oga);
        var pages = Pages(bytes);
        Assert.True(pages.Count >= 6, $"{pages.Count} pages");
        var middle = pages[pages.Count / 2];
        bytes[middle.Start + middle.Length / 2] ^= 0x10;
        var damaged = _dir.Combine("lost-page.oga");
        File.WriteAllBytes(damaged, bytes);
        using var archive = await NewArchive();
        // libogg drops the page; libFLAC fills the frames it held with silence and says nothing. The source's MD5 would
        // catch it, so it is zeroed: then the silence was stored as the source's samples.
        ZeroMd5(bytes);
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(damaged));
        Assert.Contains($"an audio page fails its checksum, so the samples it held are missing (libFLAC would fill them with silence) (page at byte {middle.Start:N0})", e.Message);
        // The same page taken out whole (its neighbours intact): the sequence numbers show the gap.
        var original = File.ReadAllBytes(oga);
        ZeroMd5(original);
        var removed = _dir.Combine("removed-page.oga");
        File.WriteAllBytes(removed, [.. original[..middle.Start], .. original[(middle.Start + middle.Length)..]]);
        var gap = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(removed));
        Assert.Contains($"pages {pages.Count / 2:N0} to {pages.Count / 2:N0} are missing, so samples in the middle are missing", gap.Message);
        Assert.Empty(await archive.ListIdsAsync());
    }

    [Fact]
    public async Task AnOggFlacHeaderPageThatFailsItsChecksumIsNamed()
    {
        var oga = OggFlac("header", 48_000, 16, 1, 1, "-T", "SITE=Wytham Woods");
        var bytes = File.ReadAllBytes(oga);
        var comments = Pages(bytes)[1]; // the Vorbis comment packet
        bytes[comments.Start + comments.Length - 3] ^= 0x01;
        var damaged = _dir.Combine("header-crc.oga");
        File.WriteAllBytes(damaged, bytes);
        using var archive = await NewArchive();
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(damaged));
        Assert.Contains($"a page of its FLAC header fails its checksum (page at byte {comments.Start:N0})", e.Message);
    }

    /// <summary>Found by <see cref="SourceFuzzTests"/>: a cut inside a page's segment table was an EndOfStreamException.</summary>
    [Fact]
    public async Task AnOggFlacCutInsideAPageHeaderImportsWhatItHolds()
    {
        var oga = OggFlac("cut-header", 48_000, 16, 1, 4);
        var bytes = File.ReadAllBytes(oga);
        var last = Pages(bytes)[^1];
        var cut = _dir.Combine("cut-in-header.oga");
        File.WriteAllBytes(cut, bytes[..(last.Start + 28)]);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(cut);
        Assert.Equal(192_000, recording.Technical.DeclaredSampleCount);
        Assert.Equal(AudioFixtures.FlacDecode(_dir, oga, 16)[..(int)recording.SampleCount], AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
    }

    /// <summary>Zeroes STREAMINFO's MD5 ("none") on the first page and makes the page's CRC again.</summary>
    private static void ZeroMd5(byte[] bytes)
    {
        var md5At = 27 + bytes[26] + 13 + 4 + 18;
        Array.Clear(bytes, md5At, 16);
        SetCrc(bytes);
    }

    private static void SetCrc(byte[] bytes)
    {
        var pageLength = 27 + bytes[26] + Enumerable.Range(0, bytes[26]).Sum(i => bytes[27 + i]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(22), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(22), OggCrc(bytes.AsSpan(0, pageLength)));
    }

    /// <summary>Each Ogg page's start and length, walking the page headers.</summary>
    private static List<(int Start, int Length)> Pages(byte[] bytes)
    {
        var pages = new List<(int, int)>();
        for (var at = 0; at + 27 <= bytes.Length;)
        {
            Assert.True(bytes.AsSpan(at, 4).SequenceEqual("OggS"u8));
            var segments = bytes[at + 26];
            var length = 27 + segments + Enumerable.Range(0, segments).Sum(i => bytes[at + 27 + i]);
            pages.Add((at, length));
            at += length;
        }
        return pages;
    }

    [Fact]
    public async Task AChainedOggFlacIsLeftToFfmpegAndItsChangeOfRateIsRefused()
    {
        var first = OggFlac("first", 32_000, 16, 1, 1, "--serial-number=11");
        var second = OggFlac("second", 48_000, 16, 2, 1, "--serial-number=12");
        var chained = _dir.Combine("chained.oga");
        File.WriteAllBytes(chained, [.. File.ReadAllBytes(first), .. File.ReadAllBytes(second)]);
        using var archive = await NewArchive();
        // libFLAC follows one serial number: it would have stored the first second alone, silently.
        var e = await Assert.ThrowsAsync<SourceFormatChangedException>(() => archive.ImportFileAsync(chained));
        Assert.Contains("32,000 Hz", e.Message);
        Assert.Contains("48,000 Hz", e.Message);
        Assert.Empty(await archive.ListIdsAsync());
    }

    [Fact]
    public async Task AnOggFileThatIsNotOggFlacIsNotTakenForOne()
    {
        var wav = AudioFixtures.MakeWav(_dir, "vorbis.wav", 48_000, 16, 1, 1);
        var ogg = _dir.Combine("vorbis.ogg");
        ProcessRunner.Run("ffmpeg", ["-v", "error", "-y", "-i", wav, "-c:a", "libvorbis", ogg]);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(ogg);
        Assert.Equal("vorbis", recording.Technical.SourceCodec);
        Assert.Null(recording.Technical.SourceMd5);
    }

    /// <summary>Ogg's page checksum: CRC-32, polynomial 0x04C11DB7, not reflected, initial value 0.</summary>
    private static uint OggCrc(ReadOnlySpan<byte> page)
    {
        var crc = 0u;
        foreach (var b in page)
        {
            crc ^= (uint)b << 24;
            for (var i = 0; i < 8; i++) crc = (crc & 0x8000_0000) != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1;
        }
        return crc;
    }
}
