using System.Text.Json.Nodes;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>The <c>zstd</c> codec through ZstdSharp.Port; configuration <c>{level, checksum}</c>.</summary>
public sealed class ZstdCodec(int level = 3, bool checksum = false) : IBytesToBytesCodec
{
    public int Level { get; } = level;
    public bool Checksum { get; } = checksum;
    public string Name => "zstd";
    public JsonObject? Configuration => new() { ["level"] = Level, ["checksum"] = Checksum };

    public static ZstdCodec FromConfiguration(JsonObject? config) =>
        new(config?["level"]?.GetValue<int>() ?? 3, config?["checksum"]?.GetValue<bool>() ?? false);

    public byte[] Encode(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        using var compressor = new Compressor(Level);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, Checksum ? 1 : 0);
        return compressor.Wrap(bytes).ToArray();
    }

    public byte[] Decode(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        try
        {
            // Frames written without a content size (streaming writers) are decoded through a stream.
            if (FrameContentSize(bytes) is { } known)
            {
                if (known > DecodedSize.Limit(spec)) throw DecodedSize.TooLarge("zstd", known, spec);
                using var decompressor = new Decompressor();
                var output = new byte[known];
                var n = decompressor.Unwrap(bytes, output.AsSpan());
                return n == output.Length ? output : output.AsSpan(0, n).ToArray();
            }
            using var input = new MemoryStream(bytes.ToArray());
            using var stream = new DecompressionStream(input);
            return DecodedSize.ReadBounded(stream, spec, "zstd");
        }
        catch (ZstdException e)
        {
            throw new ZarrCodecException($"zstd data is corrupt: {e.Message}", spec.NodePath, spec.Key, e);
        }
    }

    public long? EncodedSize(long inputSize) => null;

    private static unsafe long? FrameContentSize(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            var size = Methods.ZSTD_getFrameContentSize(p, (nuint)bytes.Length);
            // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR are the two largest values.
            return size >= ulong.MaxValue - 1 ? null : size > long.MaxValue ? long.MaxValue : (long)size;
        }
    }
}
