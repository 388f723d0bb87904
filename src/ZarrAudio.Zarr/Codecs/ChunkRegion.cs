namespace ZarrAudio.Zarr.Codecs;

/// <summary>A box inside a chunk: start and shape per dimension, in elements.</summary>
public readonly record struct ChunkRegion(int[] Start, int[] Shape)
{
    public static ChunkRegion Whole(int[] shape) => new(new int[shape.Length], shape);
    public bool Covers(int[] chunkShape) => Start.All(s => s == 0) && Shape.AsSpan().SequenceEqual(chunkShape);
}

/// <summary>
/// Where a decoded region goes: a C-order buffer of shape <see cref="Shape"/>, with the region placed at
/// <see cref="Start"/>. The buffer is memory, so many chunk decodes can fill disjoint parts at once.
/// </summary>
public readonly record struct RegionTarget(Memory<byte> Buffer, long[] Shape, long[] Start, int ElementSize);
