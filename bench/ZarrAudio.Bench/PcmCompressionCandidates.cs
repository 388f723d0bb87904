using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Bench;

/// <summary>
/// The compressors a PCM chunk could use, all readable by zarrita and zarr-python, measured on the same samples:
/// stored size against raw, and the time to decode one inner chunk (what a 100 ms read pays once or twice).
/// </summary>
internal static class PcmCompressionCandidates
{
    private static CodecMetadata Little => new("bytes", new JsonObject { ["endian"] = "little" });
    private static CodecMetadata Blosc(string cname, int level, string shuffle, int typesize) =>
        new("blosc", new JsonObject { ["cname"] = cname, ["clevel"] = level, ["shuffle"] = shuffle, ["typesize"] = typesize, ["blocksize"] = 0 });
    private static CodecMetadata Zstd(int level) => new("zstd", new JsonObject { ["level"] = level, ["checksum"] = false });
    private static CodecMetadata Transpose => new("transpose", new JsonObject { ["order"] = new JsonArray(1, 0) });

    public static (string Name, CodecMetadata[] Codecs)[] All(int typesize) =>
    [
        ("zstd 3", [Little, Zstd(3)]),
        ("transpose + zstd 3", [Transpose, Little, Zstd(3)]),
        ("blosc lz4 5 shuffle", [Little, Blosc("lz4", 5, "shuffle", typesize)]),
        ("blosc lz4 5 bitshuffle", [Little, Blosc("lz4", 5, "bitshuffle", typesize)]),
        ("blosc zstd 3 shuffle", [Little, Blosc("zstd", 3, "shuffle", typesize)]),
        ("blosc zstd 3 bitshuffle", [Little, Blosc("zstd", 3, "bitshuffle", typesize)]),
        ("blosc zstd 5 bitshuffle", [Little, Blosc("zstd", 5, "bitshuffle", typesize)]),
        ("transpose + blosc zstd 3 bitshuffle", [Transpose, Little, Blosc("zstd", 3, "bitshuffle", typesize)]),
    ];

    /// <summary>Prints one table row per candidate for interleaved samples [frames, channels] of the given type.</summary>
    public static void Measure(string material, byte[] samples, DataType type, int channels, int innerFrames)
    {
        var frameBytes = channels * type.Size();
        var chunkBytes = innerFrames * frameBytes;
        var chunks = (int)Math.Min(samples.Length / chunkBytes, 2000);
        if (chunks == 0) { innerFrames = samples.Length / frameBytes; chunkBytes = innerFrames * frameBytes; chunks = 1; }
        var spec = new ChunkSpec([innerFrames, channels], type, new byte[type.Size()]);
        foreach (var (name, codecs) in All(type.Size()))
        {
            var pipeline = CodecPipeline.Create(codecs, new CodecContext(type, [innerFrames, channels], null));
            var encoded = new byte[chunks][];
            var encode = Stopwatch.StartNew();
            for (var i = 0; i < chunks; i++) encoded[i] = pipeline.Encode(samples.AsSpan(i * chunkBytes, chunkBytes).ToArray(), spec);
            var encodeSeconds = encode.Elapsed.TotalSeconds;
            for (var i = 0; i < Math.Min(chunks, 50); i++) pipeline.Decode(encoded[i], spec); // warm
            var decode = Stopwatch.StartNew();
            for (var i = 0; i < chunks; i++)
                if (!pipeline.Decode(encoded[i], spec).AsSpan().SequenceEqual(samples.AsSpan(i * chunkBytes, chunkBytes)))
                    throw new InvalidOperationException($"{name} does not round-trip");
            var perChunk = decode.Elapsed.TotalMilliseconds / chunks;
            var ratio = encoded.Sum(e => (double)e.Length) / ((double)chunks * chunkBytes);
            Console.WriteLine($"| {material} | {name} | {ratio:F3}× | {perChunk * 1000:F0} µs | {chunks * (double)chunkBytes / encodeSeconds / 1e6:F0} MB/s |");
        }
    }

    /// <summary>Raw interleaved little-endian samples of a file as ffmpeg decodes it (s16le, s32le or f32le).</summary>
    public static byte[] Decode(string path, string format)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-i", path, "-f", format, "-c:a", "pcm_" + format, "-" }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        _ = p.StandardError.ReadToEndAsync();
        using var memory = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(memory);
        p.WaitForExit();
        return memory.ToArray();
    }

    /// <summary>s32le as ffmpeg writes 24-bit sources (left-aligned) shifted back to right-justified 24-bit, as PCM stores them.</summary>
    public static byte[] RightJustify24(byte[] s32)
    {
        var values = MemoryMarshal.Cast<byte, int>(s32.AsSpan());
        for (var i = 0; i < values.Length; i++) values[i] >>= 8;
        return s32;
    }
}
