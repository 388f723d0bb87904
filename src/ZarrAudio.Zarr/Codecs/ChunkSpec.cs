using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>
/// What a codec needs to know about the chunk it encodes or decodes, and where the chunk lives (for
/// error messages). Decoded chunks are C-order element bytes, little-endian.
/// </summary>
public sealed record ChunkSpec(int[] Shape, DataType DataType, byte[] FillValue, string? NodePath = null, string? Key = null)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public long ByteLength => ElementCount * DataType.Size();
    public ChunkSpec WithShape(int[] shape) => this with { Shape = shape };
}
