using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>A Zarr v3 codec, as named in a <c>codecs</c> list.</summary>
public interface ICodec
{
    string Name { get; }
    /// <summary>The configuration to store, or null for none.</summary>
    JsonObject? Configuration { get; }
}

/// <summary>Transforms a decoded array into another decoded array (e.g. transpose).</summary>
public interface IArrayToArrayCodec : ICodec
{
    ChunkSpec EncodedSpec(ChunkSpec decoded);
    byte[] Encode(byte[] elements, ChunkSpec decoded);
    byte[] Decode(byte[] elements, ChunkSpec decoded);
}

/// <summary>Serialises a decoded array to bytes (exactly one per pipeline).</summary>
public interface IArrayToBytesCodec : ICodec
{
    byte[] Encode(ReadOnlySpan<byte> elements, ChunkSpec spec);
    byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec);

    /// <summary>Encoded size when it depends only on the spec (needed for shard indexes), else null.</summary>
    long? EncodedSize(ChunkSpec spec);

    /// <summary>
    /// Decodes only <paramref name="region"/> of the chunk into <paramref name="destination"/>,
    /// fetching only the bytes it needs from <paramref name="source"/>. False when the whole value was
    /// absent (the caller fills with the fill value).
    /// </summary>
    ValueTask<bool> DecodeRegionAsync(IByteRangeReader source, ChunkSpec spec, ChunkRegion region, RegionTarget destination, CancellationToken cancellationToken);
}

/// <summary>Transforms bytes into bytes (compression, checksums).</summary>
public interface IBytesToBytesCodec : ICodec
{
    byte[] Encode(ReadOnlySpan<byte> bytes, ChunkSpec spec);
    byte[] Decode(ReadOnlySpan<byte> bytes, ChunkSpec spec);
    /// <summary>Encoded size for a given input size when it is fixed (e.g. a checksum), else null.</summary>
    long? EncodedSize(long inputSize);
}
