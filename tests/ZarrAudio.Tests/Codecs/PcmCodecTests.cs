using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Codecs.Pcm;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>The PCM codec: the source's own samples, exactly, in a plain Zarr array any reader opens.</summary>
public class PcmCodecTests
{
    private static Task<AudioArchive> NewArchive() => AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);

    /// <summary>Noise with a different level per channel, so a channel mix-up cannot pass.</summary>
    private static Array Generate(string type, long frames, int channels, int seed)
    {
        var random = new Random(seed);
        double Value(int c) => (random.NextDouble() * 2 - 1) * (c + 1) / (channels + 1);
        Array result = type switch
        {
            "int16" => new short[frames, channels],
            "int24" or "int32" => new int[frames, channels],
            "float32" => new float[frames, channels],
            _ => new double[frames, channels],
        };
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < channels; c++)
                switch (result)
                {
                    case short[,] s: s[i, c] = (short)(Value(c) * 32767); break;
                    case int[,] n: n[i, c] = (int)(Value(c) * (type == "int24" ? 8388607 : int.MaxValue)); break;
                    // Float sources keep what FLAC cannot: values beyond ±1, tiny values, NaN and infinities.
                    case float[,] f: f[i, c] = i % 9973 == 5 ? float.NaN : i % 7919 == 3 ? float.NegativeInfinity : (float)(Value(c) * (i % 3 == 0 ? 3.5 : 1e-3)); break;
                    case double[,] d: d[i, c] = i % 7919 == 3 ? double.PositiveInfinity : Value(c) * Math.PI * 1e-5; break;
                }
        return result;
    }

    private static byte[] Bytes(Array samples) => samples switch
    {
        short[,] s => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref s[0, 0], s.Length)).ToArray(),
        int[,] i => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref i[0, 0], i.Length)).ToArray(),
        float[,] f => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref f[0, 0], f.Length)).ToArray(),
        double[,] d => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref d[0, 0], d.Length)).ToArray(),
        _ => throw new ArgumentException(samples.GetType().Name),
    };

    public static TheoryData<string, int> Shapes()
    {
        var data = new TheoryData<string, int>();
        foreach (var type in new[] { "int16", "int24", "int32", "float32", "float64" })
            foreach (var channels in new[] { 1, 2, 12, 64, 256 })
                data.Add(type, channels);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task EverySampleTypeAndChannelCountRoundTripsBitExact(string type, int channels)
    {
        // Long enough for several shards (and many inner chunks) at every width.
        var frames = channels >= 64 ? 20_000 : 300_000;
        var source = Generate(type, frames, channels, channels * 31 + type.Length);
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(source, 96_000, new ImportOptions { Codec = "pcm", BitsPerSample = type == "int24" ? 24 : null });
        Assert.Equal("pcm", recording.Technical.Codec);
        Assert.Equal(frames, recording.SampleCount);
        Assert.Equal(type == "int24" ? 24 : type is "int32" or "float32" ? 32 : type == "int16" ? 16 : 64, recording.Technical.BitsPerSample);
        var all = await recording.ReadAsync(0, frames);
        Assert.Equal(source.GetType(), all.Samples.GetType());
        Assert.Equal(Bytes(source), Bytes(all.Samples));
        // Each channel as a 1-D array of the stored type (float64 reads were refused with InvalidOperationException).
        var last = all.GetChannel(channels - 1);
        Assert.Equal(source.GetType().GetElementType(), last.GetType().GetElementType());
        Assert.Equal(source.GetValue(frames - 1, channels - 1), last.GetValue(frames - 1));

        // Random ranges across chunk and shard edges, on channel subsets in any order.
        var random = new Random(channels);
        for (var k = 0; k < 12; k++)
        {
            var start = random.NextInt64(0, frames - 1);
            var count = random.NextInt64(1, Math.Min(frames - start, 40_000) + 1);
            var picked = Enumerable.Range(0, Math.Min(channels, 3)).Select(_ => random.Next(channels)).Distinct().ToArray();
            var part = (await recording.ReadAsync(start, count, picked)).Samples;
            for (var i = 0; i < count; i += 97)
                for (var c = 0; c < picked.Length; c++)
                    Assert.Equal(source.GetValue(start + i, picked[c]), part.GetValue(i, c));
        }
        Assert.True((await recording.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task AShortReadFetchesAndDecodesOnlyTheChunksItCovers()
    {
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(Generate("int16", 48_000 * 60, 2, 9), 48_000, new ImportOptions { Codec = "pcm" });
        var block = await recording.ReadAsync(1_234_567, 4_800);
        // 16 KiB chunks of stereo int16 hold 4,096 samples: 100 ms touches two or three of them, not the shard.
        Assert.InRange(block.FramesDecoded, 2, 3);
        Assert.InRange(block.BytesFetched, 1, 3 * 16_384);
        Assert.True(recording.Technical.StoredBytes > 100 * block.BytesFetched);
    }

    [Fact]
    public async Task FloatReadsOfIntegerPcmAreNormalisedAndFloatPcmRefusesIntegerReads()
    {
        using var archive = await NewArchive();
        var ints = await archive.ImportSamplesAsync(new short[] { 16384, -32768, 0 }, 8000, new ImportOptions { Codec = "pcm" });
        var floats = (float[,])(await ints.ReadAsync(0, 3, asFloat: true)).Samples;
        Assert.Equal([0.5f, -1f, 0f], new[] { floats[0, 0], floats[1, 0], floats[2, 0] });
        var stored = await archive.ImportSamplesAsync(new float[] { 0.25f, 7f, float.NaN }, 8000);
        Assert.Equal("pcm", stored.Technical.Codec);
        var span = new int[3];
        Assert.Throws<SampleRangeException>(() => stored.ReadInto<int>(0, 3, span));
        var doubles = new double[3];
        stored.ReadInto<double>(0, 3, doubles);
        Assert.Equal(7.0, doubles[1]);
        Assert.True(double.IsNaN(doubles[2]));
    }

    [Fact]
    public async Task AutoStoresWhatFlacStoresLosslesslyAsFlacAndEverythingElseExactly()
    {
        using var archive = await NewArchive();
        var ints = await archive.ImportSamplesAsync(new short[1000], 48_000);
        Assert.Equal("flac", ints.Technical.Codec);
        Assert.StartsWith("auto: FLAC", ints.Technical.CodecReason);
        var floats = await archive.ImportSamplesAsync(new float[] { 0.1f, -3f, 1e-30f }, 48_000);
        Assert.Equal("pcm", floats.Technical.Codec);
        // The reason says what was kept; it used to read "float samples are rounded to 24 bits", as if they had been.
        Assert.Equal("auto: PCM keeps the float samples exactly (FLAC stores integers and would round them to 24 bits)", floats.Technical.CodecReason);
        Assert.DoesNotContain("are rounded", floats.Technical.CodecReason);
        Assert.False(floats.Technical.QuantisedFromFloat);
        var back = (float[,])(await floats.ReadAsync(0, 3)).Samples;
        Assert.Equal([0.1f, -3f, 1e-30f], new[] { back[0, 0], back[1, 0], back[2, 0] });
        var fast = await archive.ImportSamplesAsync(new short[] { 1, 2, 3 }, 2_000_000);
        Assert.Equal("pcm", fast.Technical.Codec);
        Assert.StartsWith("auto: PCM keeps the source exactly (FLAC stores at most 1,048,575 Hz", fast.Technical.CodecReason);
        Assert.Equal(2_000_000, fast.SampleRate);
        var parameters = fast.Technical.Extension("pcm")!;
        Assert.Equal("int16", parameters["data_type"]!.GetValue<string>());
        Assert.Equal("zstd", parameters["compressor"]!["cname"]!.GetValue<string>());
        Assert.Equal("bitshuffle", parameters["compressor"]!["shuffle"]!.GetValue<string>());
    }

    [Fact]
    public async Task SilenceIsStoredSoAMissingChunkIsDamageNotZeros()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var recording = await archive.ImportSamplesAsync(new short[5_000_000, 2], 48_000, new ImportOptions { Codec = "pcm" });
        var shards = Directory.GetFiles(dir.Combine("a", "1", "pcm", "c"), "*", SearchOption.AllDirectories);
        Assert.True(shards.Length >= 2, "silence must be stored, not left out");
        File.Delete(shards.Order().Last());
        await Assert.ThrowsAsync<CorruptRecordingException>(() => recording.ReadAsync(4_999_000, 1000));
        Assert.False((await recording.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task AFlippedByteIsCaughtByReadsAndVerify()
    {
        using var dir = new TempDirectory();
        using (var writer = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true))
            await writer.ImportSamplesAsync(Generate("int16", 100_000, 2, 5), 48_000, new ImportOptions { Codec = "pcm" });
        var shard = Directory.GetFiles(dir.Combine("a", "1", "pcm", "c"), "*", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 3] ^= 0x10;
        File.WriteAllBytes(shard, bytes);
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: false);
        var recording = await archive.GetRecordingAsync(1);
        await Assert.ThrowsAsync<CorruptRecordingException>(() => recording.ReadAsync(0, 100_000));
        Assert.False((await recording.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task BadSampleArraysAreRefusedNamingTheLimitAndStoreNothing()
    {
        using var archive = await NewArchive();
        var kept = await archive.ImportSamplesAsync(new short[] { 1, 2, 3 }, 8000);
        var empty = await Assert.ThrowsAsync<InvalidSamplesException>(() => archive.ImportSamplesAsync(new float[0, 2], 8000, new ImportOptions { Codec = "pcm" }));
        Assert.Contains("empty", empty.Message);
        var type = await Assert.ThrowsAsync<InvalidSamplesException>(() => archive.ImportSamplesAsync(new decimal[4], 8000, new ImportOptions { Codec = "pcm" }));
        Assert.Contains("Decimal", type.Message);
        var shape = await Assert.ThrowsAsync<InvalidSamplesException>(() => archive.ImportSamplesAsync(new short[2, 2, 2], 8000, new ImportOptions { Codec = "pcm" }));
        Assert.Contains("3 dimensions", shape.Message);
        var rate = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportSamplesAsync(new short[4], 0, new ImportOptions { Codec = "pcm" }));
        Assert.Contains("1 Hz", rate.Message);
        var codec = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportSamplesAsync(new short[4], 8000, new ImportOptions { Codec = "mp3" }));
        Assert.Contains("auto, flac, pcm", codec.Message);
        var bits = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportSamplesAsync(new int[] { 1 }, 8000, new ImportOptions { Codec = "flac", BitsPerSample = 2 }));
        Assert.Contains("4 to 32 bits", bits.Message);
        var wide = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportSamplesAsync(new short[1, PcmCodec.MaxChannels + 1], 8000, new ImportOptions { Codec = "pcm" }));
        Assert.Contains("32,768 channels", wide.Message);
        using var dir = new TempDirectory();
        var silent = dir.Combine("empty.wav");
        ProcessRunner.Run("sox", ["-n", "-r", "8000", "-b", "32", "-e", "floating-point", "-c", "1", silent, "trim", "0", "0"]);
        var nothing = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(silent));
        Assert.Contains("no audio samples", nothing.Message);
        Assert.Equal([kept.Id], await archive.ListIdsAsync());
        Assert.Empty(await archive.FindRepairsAsync(TimeSpan.Zero));
    }

    public static TheoryData<string> SharedRecordings() =>
    [
        "spinetail.wav", "LluviasDeMayo.flac", GeneratedRecordings.EchoMeter, GeneratedRecordings.Batlogger, "Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav",
        "SPKRPLAYBACK_multichirp_2018-08-18_09-15-06_ch9-12_first2s.wav", "HOA3_rec1_01-08ch.ogg", "20081202-07-koala-calls.mp3", "metadata.wav",
        "fire2.mp4", "GRAS_1Pa_240819_0331.wav", "456440__inspectorj__bird-whistling-robin-single-13.hq.ogg", "deermouse-go.wav", "gs-16b-1c-44100hz.m4a",
    ];

    /// <summary>
    /// Every shared recording stored as PCM: our reads equal ffmpeg's decode of the source, and zarrita (another Zarr
    /// implementation) opens the array in the store and gets the same samples (sha256 of its decoded array).
    /// </summary>
    [Theory]
    [MemberData(nameof(SharedRecordings))]
    public async Task ZarritaReadsEveryPcmArrayAsFfmpegDecodesTheSource(string name)
    {
        using var dir = new TempDirectory();
        var path = RepoPaths.TestData(name);
        long id;
        string expectedSha;
        using (var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true))
        {
            var recording = await archive.ImportFileAsync(path, new ImportOptions { Codec = "pcm" });
            id = recording.Id;
            var all = (await recording.ReadAsync(0, recording.SampleCount)).Samples;
            byte[] expected;
            if (recording.Technical.SampleFormat == "float")
                expected = MemoryMarshal.AsBytes(AudioFixtures.FfmpegDecodeFloat(path).AsSpan()).ToArray();
            else
            {
                var ints = AudioFixtures.FfmpegDecode(path, recording.Technical.BitsPerSample);
                expected = recording.Technical.BitsPerSample <= 16
                    ? MemoryMarshal.AsBytes(ints.Select(v => (short)v).ToArray().AsSpan()).ToArray()
                    : MemoryMarshal.AsBytes(ints.AsSpan()).ToArray();
            }
            Assert.Equal(expected, Bytes(all));
            expectedSha = Convert.ToHexString(SHA256.HashData(expected)).ToLowerInvariant();
        }
        var read = JsonNode.Parse(ProcessRunner.Node("zarrita-read.mjs", dir.Combine("a"), $"a:{id}/{PcmCodec.ArrayName}"))!;
        Assert.Equal(expectedSha, read["arrays"]![$"{id}/{PcmCodec.ArrayName}"]!["sha256"]!.GetValue<string>());
    }
}
