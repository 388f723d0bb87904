using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>The <c>bytes</c> codec: elements laid out in C order with a chosen endianness.</summary>
public sealed class BytesCodec : IArrayToBytesCodec
{
    public BytesCodec(bool bigEndian = false) => BigEndian = bigEndian;

    public bool BigEndian { get; }
    public string Name => "bytes";
    public JsonObject? Configuration => new() { ["endian"] = BigEndian ? "big" : "little" };

    public static BytesCodec FromConfiguration(JsonObject? config, string? nodePath) =>
        config?["endian"]?.GetValue<string>() switch
        {
            null or "little" => new BytesCodec(false),
            "big" => new BytesCodec(true),
            var other => throw new ZarrMetadataException($"bytes codec endian must be 'little' or 'big', not '{other}'", nodePath, NodeMetadata.Key),
        };

    public byte[] Encode(ReadOnlySpan<byte> elements, ChunkSpec spec)
    {
        var bytes = elements.ToArray();
        if (BigEndian) SwapInPlace(bytes, spec.DataType.Size());
        return bytes;
    }

    public byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        if (encoded.Length != spec.ByteLength)
            throw new ZarrChunkSizeException($"Chunk holds {encoded.Length} bytes but shape [{string.Join(", ", spec.Shape)}] of {spec.DataType.ToName()} needs {spec.ByteLength}", spec.NodePath, spec.Key);
        var bytes = encoded.ToArray();
        if (BigEndian) SwapInPlace(bytes, spec.DataType.Size());
        return bytes;
    }

    public long? EncodedSize(ChunkSpec spec) => spec.ByteLength;

    /// <summary>Fetches only the byte span from the region's first to its last element.</summary>
    /// <summary>The bytes of an encoded chunk that a region of it needs: from its first element to its last, in C order.</summary>
    public static (long Offset, long Length) PartRange(ChunkSpec spec, ChunkRegion region)
    {
        var size = spec.DataType.Size();
        var chunkShape = RegionCopy.ToLong(spec.Shape);
        Span<long> strides = stackalloc long[chunkShape.Length];
        RegionCopy.Strides(chunkShape, strides);
        long first = 0, last = 0;
        for (var d = 0; d < chunkShape.Length; d++)
        {
            first += region.Start[d] * strides[d];
            last += (region.Start[d] + region.Shape[d] - 1) * strides[d];
        }
        return (first * size, (last - first + 1) * size);
    }

    public async ValueTask<bool> DecodeRegionAsync(IByteRangeReader source, ChunkSpec spec, ChunkRegion region, RegionTarget destination, CancellationToken cancellationToken)
    {
        var size = spec.DataType.Size();
        var chunkShape = RegionCopy.ToLong(spec.Shape);
        var (offset, wanted) = PartRange(spec, region);
        var first = offset / size;
        var bytes = await source.ReadAsync(ByteRange.FromOffset(offset, wanted), cancellationToken).ConfigureAwait(false);
        if (bytes is null) return false;
        if (bytes.Length != wanted)
            throw new ZarrChunkSizeException($"Chunk is truncated: wanted bytes {first * size}..{first * size + wanted} of {spec.ByteLength}, got {bytes.Length}", spec.NodePath, spec.Key);
        if (BigEndian) SwapInPlace(bytes, size);
        RegionCopy.Copy(bytes, chunkShape, RegionCopy.ToLong(region.Start), destination.Buffer.Span, destination.Shape,
            destination.Start, RegionCopy.ToLong(region.Shape), size, first);
        return true;
    }

    public static void SwapInPlace(Span<byte> bytes, int elementSize)
    {
        switch (elementSize)
        {
            case 2: BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes)); break;
            case 4: BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes)); break;
            case 8: BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes)); break;
        }
    }
}
