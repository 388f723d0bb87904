using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Native;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>
/// The <c>blosc</c> codec (Zarr v3 core) through the native c-blosc 1.x: configuration
/// <c>{cname, clevel, shuffle: noshuffle|shuffle|bitshuffle, typesize, blocksize}</c>. Shuffling groups the bytes
/// (or bits) of equal significance of each element, which is what lets a generic compressor shrink audio samples.
/// </summary>
public sealed class BloscCodec : IBytesToBytesCodec
{
    private static readonly string[] Shuffles = ["noshuffle", "shuffle", "bitshuffle"];
    private static readonly HashSet<string> Compressors = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];

    public BloscCodec(string cname = "zstd", int clevel = 5, string shuffle = "shuffle", int typesize = 1, int blocksize = 0)
    {
        if (!Compressors.Contains(cname)) throw new ArgumentException($"blosc has no compressor '{cname}' (it has {string.Join(", ", Compressors)})");
        if (clevel is < 0 or > 9) throw new ArgumentException($"blosc clevel {clevel} is outside 0 to 9");
        if (Array.IndexOf(Shuffles, shuffle) < 0) throw new ArgumentException($"blosc shuffle '{shuffle}' is not one of {string.Join(", ", Shuffles)}");
        if (typesize is < 1 or > 255) throw new ArgumentException($"blosc typesize {typesize} is outside 1 to 255");
        if (blocksize < 0) throw new ArgumentException($"blosc blocksize {blocksize} is negative");
        (CName, CLevel, Shuffle, TypeSize, BlockSize) = (cname, clevel, shuffle, typesize, blocksize);
    }

    public string CName { get; }
    public int CLevel { get; }
    public string Shuffle { get; }
    public int TypeSize { get; }
    public int BlockSize { get; }
    public string Name => "blosc";

    public JsonObject? Configuration => new()
    {
        ["cname"] = CName, ["clevel"] = CLevel, ["shuffle"] = Shuffle, ["typesize"] = TypeSize, ["blocksize"] = BlockSize,
    };

    /// <summary>From a stored configuration; typesize defaults to the array's element size (as zarr-python does).</summary>
    public static BloscCodec FromConfiguration(JsonObject? config, int elementSize) => new(
        config?["cname"]?.GetValue<string>() ?? "zstd",
        config?["clevel"]?.GetValue<int>() ?? 5,
        config?["shuffle"]?.GetValue<string>() ?? "noshuffle",
        config?["typesize"]?.GetValue<int>() ?? elementSize,
        config?["blocksize"]?.GetValue<int>() ?? 0);

    public unsafe byte[] Encode(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        var output = new byte[bytes.Length + LibBlosc.MaxOverhead];
        int written;
        fixed (byte* source = bytes)
        fixed (byte* target = output)
            written = LibBlosc.CompressCtx(CLevel, Array.IndexOf(Shuffles, Shuffle), (nuint)TypeSize, (nuint)bytes.Length, source, target,
                (nuint)output.Length, CName, (nuint)BlockSize, 1);
        if (written <= 0) throw new ZarrCodecException($"blosc could not compress {bytes.Length} bytes (code {written})", spec.NodePath, spec.Key);
        return output.AsSpan(0, written).ToArray();
    }

    public unsafe byte[] Decode(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        fixed (byte* source = bytes)
        {
            // The header is checked against the value's real length before blosc reads past it: a damaged or
            // hostile value is an error, never an out-of-bounds read.
            nuint size;
            if (bytes.Length < LibBlosc.MaxOverhead || LibBlosc.CbufferValidate(source, (nuint)bytes.Length, &size) != 0 || size > int.MaxValue)
                throw new ZarrCodecException("blosc data is corrupt (its header does not match its length)", spec.NodePath, spec.Key);
            if ((long)size > DecodedSize.Limit(spec)) throw DecodedSize.TooLarge("blosc", (long)size, spec);
            var output = new byte[(int)size];
            int read;
            fixed (byte* target = output) read = LibBlosc.DecompressCtx(source, target, size, 1);
            if (read < 0 || (nuint)read != size) throw new ZarrCodecException($"blosc data is corrupt (code {read})", spec.NodePath, spec.Key);
            return output;
        }
    }

    public long? EncodedSize(long inputSize) => null;
}
