using ZarrAudio.Archive;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

public class FlacCodecTests
{
    private static async Task<AudioArchive> NewArchive() => await AudioArchive.MountAsync(new MemoryStore(), "archive", create: true, ownsStore: true);

    [Theory]
    [InlineData(8000, 16, 1, 3.0)]
    [InlineData(44100, 24, 2, 2.0)]
    [InlineData(384000, 16, 1, 1.0)]
    [InlineData(48000, 8, 2, 1.0)]
    [InlineData(96000, 32, 2, 0.5)]
    public async Task GeneratedWavRoundTripsBitExact(int rate, int bits, int channels, double seconds)
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "t.wav", rate, bits, channels, seconds);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(wav);
        var expected = AudioFixtures.FfmpegDecode(wav, bits);
        Assert.Equal(expected.Length / channels, recording.SampleCount);
        Assert.Equal(bits, recording.Technical.BitsPerSample);
        var block = await recording.ReadAsync(0, recording.SampleCount);
        Assert.Equal(expected, AudioFixtures.Flatten(block.Samples));
        Assert.IsType(bits <= 16 ? typeof(short[,]) : typeof(int[,]), block.Samples);
    }

    [Fact]
    public async Task RandomRangesAcrossFrameBoundariesAreExact()
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "t.wav", 48000, 16, 2, 5);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(wav);
        var expected = AudioFixtures.FfmpegDecode(wav, 16);
        var n = recording.SampleCount;
        var block = FlacSettings.Stored(recording.Technical).Blocksize!.Value;
        var random = new Random(5);
        var ranges = new List<(long, long)> { (0, 1), (n - 1, 1), (block - 1, 2), (block, 1), (3 * block - 5, block + 10), (0, n), (n - 100, 100) };
        for (var i = 0; i < 40; i++) { var s = random.NextInt64(n - 1); ranges.Add((s, random.NextInt64(1, Math.Min(20000, n - s)))); }
        foreach (var (start, count) in ranges)
        {
            var got = AudioFixtures.Flatten((await recording.ReadAsync(start, count)).Samples);
            Assert.True(expected.AsSpan((int)start * 2, (int)count * 2).SequenceEqual(got), $"range [{start}, {start + count})");
        }
        // One channel, and float output scaled to ±1.
        var right = (short[,])(await recording.ReadAsync(1000, 10, [1])).Samples;
        for (var i = 0; i < 10; i++) Assert.Equal(expected[(1000 + i) * 2 + 1], right[i, 0]);
        var floats = (float[,])(await recording.ReadAsync(1000, 10, asFloat: true)).Samples;
        Assert.Equal(expected[2000] / 32768f, floats[0, 0]);
    }

    [Theory]
    [InlineData(1, 4, 1)]
    [InlineData(8000, 8, 2)]
    [InlineData(1_000_000, 12, 1)]
    [InlineData(44100, 20, 8)]
    [InlineData(22050, 16, 12)]
    [InlineData(48000, 24, 10)]
    [InlineData(16000, 32, 3)]
    public async Task SampleArraysRoundTripAtEveryDepthRateAndChannelCount(int rate, int bits, int channels)
    {
        var frames = Math.Min(rate * 2, 30_000) + 7;
        var data = new int[frames, channels];
        var random = new Random(bits * channels);
        long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
        for (var f = 0; f < frames; f++)
            for (var c = 0; c < channels; c++)
                data[f, c] = (int)(f % 97 == 0 ? (c % 2 == 0 ? max : min) : random.NextInt64(min, max + 1) / (c + 1));
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(data, rate, new ImportOptions { BitsPerSample = bits });
        Assert.Equal(frames, recording.SampleCount);
        Assert.Equal((channels + 7) / 8, recording.Technical.StreamCount);
        var block = AudioFixtures.Flatten((await recording.ReadAsync(0, frames)).Samples);
        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref data[0, 0], data.Length).ToArray(), block);
        // A channel subset across streams, in a chosen order.
        if (channels > 8)
        {
            var picked = AudioFixtures.Flatten((await recording.ReadAsync(5, 3, [9, 0, 8])).Samples);
            for (var f = 0; f < 3; f++) Assert.Equal([data[5 + f, 9], data[5 + f, 0], data[5 + f, 8]], picked[(f * 3)..(f * 3 + 3)]);
        }
        var verified = await recording.VerifyAsync();
        Assert.True(verified.IsValid, string.Join("; ", verified.Problems));
    }

    [Fact]
    public async Task FloatArraysAreQuantisedTo24BitsWithRoundingAndClipping()
    {
        var data = new float[] { 0f, 0.5f, -0.5f, 1.5f, -2f, 1f / 8388608f * 0.6f, float.NaN };
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(data, 1000, new ImportOptions { Codec = "flac" });
        Assert.True(recording.Technical.QuantisedFromFloat);
        Assert.Equal(24, recording.Technical.BitsPerSample);
        var back = (int[,])(await recording.ReadAsync(0, data.Length)).Samples;
        Assert.Equal([0, 4194304, -4194304, 8388607, -8388608, 1, 0], Enumerable.Range(0, data.Length).Select(i => back[i, 0]));
    }

    [Fact]
    public async Task ReadIntoFillsACallersSpan()
    {
        using var archive = await NewArchive();
        var data = new short[5000, 2];
        for (var i = 0; i < 5000; i++) { data[i, 0] = (short)i; data[i, 1] = (short)-i; }
        var recording = await archive.ImportSamplesAsync(data, 8000);
        var buffer = new float[200];
        recording.ReadInto<float>(4000, 100, buffer);
        Assert.Equal(4000 / 32768f, buffer[0]);
        Assert.Equal(-4099 / 32768f, buffer[199]);
        var shorts = new short[100];
        recording.ReadInto<short>(10, 100, shorts, [1]);
        Assert.Equal(-109, shorts[99]);
    }

    [Fact]
    public async Task AShortClipCostsAboutItsFlacSizeAndStoredBytesIsWhatIsOnDisk()
    {
        // A 1 s clip used to take a 132 KB shard for 71 KB of frames (64 KiB inner chunks, the last one stored whole),
        // and StoredBytes said 71 KB.
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "clip.wav", 48000, 16, 2, 1);
        ProcessRunner.Run("flac", ["-5", "-s", "-f", "-o", dir.Combine("clip.flac"), wav]);
        var flacBytes = new FileInfo(dir.Combine("clip.flac")).Length;
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var clip = await archive.ImportFileAsync(wav);
        var onDisk = Directory.GetFiles(dir.Combine("a", "1"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("zarr.json" or "claim.json")).Sum(f => new FileInfo(f).Length);
        Assert.Equal(onDisk, clip.Technical.StoredBytes);
        Assert.True(onDisk <= flacBytes * 1.05, $"{onDisk:N0} B stored for a {flacBytes:N0} B .flac");
        Assert.Equal(AudioFixtures.FfmpegDecode(wav, 16), AudioFixtures.Flatten((await clip.ReadAsync(0, clip.SampleCount)).Samples));
        Assert.True((await clip.VerifyAsync()).IsValid);
        // A long recording keeps 4 MiB shards: few objects.
        var hour = await archive.ImportSamplesAsync(new short[48_000 * 60, 2], 48_000);
        var stream = await ZarrAudio.Zarr.ZarrArray.OpenAsync(archive.Store, $"{hour.Id}/flac0");
        Assert.Equal(4 * 1024 * 1024, stream.ChunkShape[0]);
    }
}
