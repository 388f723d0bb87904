using System.IO.Compression;
using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>The <c>gzip</c> codec: RFC 1952 gzip members (not zlib), through System.IO.Compression.</summary>
public sealed class GzipCodec(int level = 5) : IBytesToBytesCodec
{
    public int Level { get; } = level is >= 0 and <= 9 ? level : throw new ArgumentOutOfRangeException(nameof(level), "gzip level is 0..9");
    public string Name => "gzip";
    public JsonObject? Configuration => new() { ["level"] = Level };

    public static GzipCodec FromConfiguration(JsonObject? config) => new(config?["level"]?.GetValue<int>() ?? 5);

    public byte[] Encode(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        var output = new MemoryStream();
        var level = Level switch { 0 => CompressionLevel.NoCompression, <= 3 => CompressionLevel.Fastest, 9 => CompressionLevel.SmallestSize, _ => CompressionLevel.Optimal };
        using (var gzip = new GZipStream(output, level, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    public unsafe byte[] Decode(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        try
        {
            fixed (byte* p = bytes)
            {
                using var input = new UnmanagedMemoryStream(p, bytes.Length);
                using var gzip = new GZipStream(input, CompressionMode.Decompress);
                return DecodedSize.ReadBounded(gzip, spec, "gzip");
            }
        }
        catch (InvalidDataException e)
        {
            throw new ZarrCodecException($"gzip data is corrupt: {e.Message}", spec.NodePath, spec.Key, e);
        }
    }

    public long? EncodedSize(long inputSize) => null;
}
