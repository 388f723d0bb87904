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

    private int[] ReferenceDecode(string oga, int bits)
    {
        var raw = _dir.Combine(Path.GetFileNameWithoutExtension(oga) + ".raw");
        ProcessRunner.Run("flac", ["-s", "-f", "-d", "--ogg", "--force-raw-format", "--endian=little", "--sign=signed", "-o", raw, oga]);
        var bytes = File.ReadAllBytes(raw);
        var width = (bits + 7) / 8;
        var samples = new int[bytes.Length / width];
        for (var i = 0; i < samples.Length; i++)
        {
            var v = 0;
            for (var b = 0; b < width; b++) v |= bytes[i * width + b] << (8 * b);
            samples[i] = width == 4 ? v : v << (32 - 8 * width) >> (32 - 8 * width);
        }
        return samples;
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
        Assert.Equal(ReferenceDecode(oga, bits), AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
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
        var packetStart = 27 + bytes[26];
        var md5At = packetStart + 13 + 4 + 18;
        bytes[md5At] ^= 0x5A;
        var pageLength = packetStart + Enumerable.Range(0, bytes[26]).Sum(i => bytes[27 + i]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(22), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(22), OggCrc(bytes.AsSpan(0, pageLength)));
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
        Assert.Equal(ReferenceDecode(oga, 16)[..(int)recording.SampleCount], AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
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
