using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Zarr.Tests;

/// <summary>Helpers to make arrays and data for tests.</summary>
internal static class TestArrays
{
    public static readonly CodecMetadata Little = new("bytes", new JsonObject { ["endian"] = "little" });
    public static readonly CodecMetadata Big = new("bytes", new JsonObject { ["endian"] = "big" });
    public static readonly CodecMetadata Crc = new("crc32c");
    public static CodecMetadata Gzip(int level = 5) => new("gzip", new JsonObject { ["level"] = level });
    public static CodecMetadata Blosc(string cname, string shuffle, int typesize, int clevel = 5) => new("blosc", new JsonObject
    {
        ["cname"] = cname, ["clevel"] = clevel, ["shuffle"] = shuffle, ["typesize"] = typesize, ["blocksize"] = 0,
    });
    public static CodecMetadata Zstd(int level = 3, bool checksum = false) => new("zstd", new JsonObject { ["level"] = level, ["checksum"] = checksum });

    public static CodecMetadata Sharding(int[] inner, IEnumerable<CodecMetadata> codecs, string location = "end") => new("sharding_indexed", new JsonObject
    {
        ["chunk_shape"] = new JsonArray(inner.Select(i => (JsonNode)i).ToArray()),
        ["codecs"] = new JsonArray(codecs.Select(c => (JsonNode)c.ToJson()).ToArray()),
        ["index_codecs"] = new JsonArray(Little.ToJson(), Crc.ToJson()),
        ["index_location"] = location,
    });

    public static ArrayMetadata Meta(DataType type, long[] shape, int[] chunks, IReadOnlyList<CodecMetadata> codecs, byte[]? fill = null, char separator = '/') => new()
    {
        Shape = shape,
        DataType = type,
        ChunkShape = chunks,
        Codecs = codecs,
        FillValue = fill,
        ChunkKeyEncoding = ChunkKeyEncoding.DefaultWith(separator),
    };

    /// <summary>Deterministic bytes for <paramref name="count"/> elements (bools as 0/1, floats finite).</summary>
    public static byte[] Data(DataType type, long count, int seed = 1)
    {
        var random = new Random(seed);
        var bytes = new byte[count * type.Size()];
        random.NextBytes(bytes);
        if (type == DataType.Bool) for (var i = 0; i < bytes.Length; i++) bytes[i] &= 1;
        if (type == DataType.Float32)
            for (var i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), (float)(random.NextDouble() * 2000 - 1000));
        if (type == DataType.Float64)
            for (var i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), random.NextDouble() * 1e12 - 5e11);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
