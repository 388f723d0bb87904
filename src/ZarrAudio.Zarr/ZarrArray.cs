using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr;

/// <summary>
/// A Zarr v3 array: regular chunk grid, a codec pipeline, and region reads and writes that touch only
/// the chunks (and, where the codecs allow, only the byte ranges) the region needs.
/// </summary>
public sealed class ZarrArray : ZarrNode
{
    private ZarrArray(IReadableStore store, string path, ArrayMetadata metadata, CodecPipeline pipeline) : base(store, path)
    {
        Metadata = metadata;
        Pipeline = pipeline;
    }

    internal ZarrArray(IReadableStore store, string path, ArrayMetadata metadata)
        : this(store, path, metadata, BuildPipeline(metadata, path)) { }

    public ArrayMetadata Metadata { get; private set; }
    public CodecPipeline Pipeline { get; }
    public long[] Shape => Metadata.Shape;
    public int[] ChunkShape => Metadata.ChunkShape;
    public DataType DataType => Metadata.DataType;
    public int Rank => Metadata.Shape.Length;
    public JsonObject Attributes => Metadata.Attributes;

    /// <summary>
    /// When set, decoded shard indexes are kept between reads (see <see cref="ShardIndexCache"/>): for arrays
    /// that are written once and then only read.
    /// </summary>
    public ShardIndexCache? ShardIndexCache { get; set; }

    /// <summary>
    /// When true, a read of a chunk that is not stored fails with <see cref="ZarrChunkMissingException"/> instead
    /// of returning the fill value: for arrays whose writer stores every chunk, where absence means damage.
    /// </summary>
    public bool ChunksRequired { get; set; }

    /// <summary>
    /// When true, chunks holding only the fill value are stored like any other (zarr-python's write_empty_chunks):
    /// with <see cref="ChunksRequired"/>, every chunk of the array is then present, so absence always means damage.
    /// (A shard of silence is then its index alone: inner chunks of fill are marked empty there.)
    /// </summary>
    public bool StoresFillChunks { get; set; }

    /// <summary>How many parallel chunk operations one region read or write may run.</summary>
    public int MaxConcurrency { get; set; } = Math.Max(2, Environment.ProcessorCount * 2);

    private static CodecPipeline BuildPipeline(ArrayMetadata metadata, string path) =>
        CodecPipeline.Create(metadata.Codecs, new CodecContext(metadata.DataType, metadata.ChunkShape, path));

    public static async ValueTask<ZarrArray> CreateAsync(IWritableStore store, string path, ArrayMetadata metadata, CancellationToken cancellationToken = default)
    {
        path = NodeName.NormalizePath(path);
        metadata.Validate(path);
        var array = new ZarrArray(store, path, metadata);
        await store.SetAsync(NodeName.MetadataKey(path), metadata.ToBytes(), cancellationToken).ConfigureAwait(false);
        return array;
    }

    public static async ValueTask<ZarrArray> OpenAsync(IReadableStore store, string path, CancellationToken cancellationToken = default)
    {
        path = NodeName.NormalizePath(path);
        return await TryReadMetadataAsync(store, path, cancellationToken).ConfigureAwait(false) switch
        {
            ArrayMetadata a => new ZarrArray(store, path, a),
            GroupMetadata => throw new ZarrNodeNotFoundException("Expected an array but found a group", path),
            _ => throw new ZarrNodeNotFoundException("No array here", path, NodeName.MetadataKey(path)),
        };
    }

    /// <summary>Changes the shape (chunks outside the new shape are left in place, as the spec allows) and rewrites zarr.json.</summary>
    public async ValueTask ResizeAsync(long[] shape, CancellationToken cancellationToken = default)
    {
        if (shape.Length != Rank) throw new ZarrIndexOutOfRangeException($"New shape has {shape.Length} dimensions, the array has {Rank}", Path);
        await RewriteMetadataAsync(CopyMetadata(shape, Metadata.Attributes), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask SetAttributesAsync(JsonObject attributes, CancellationToken cancellationToken = default) =>
        RewriteMetadataAsync(CopyMetadata(Metadata.Shape, (JsonObject)attributes.DeepClone()), cancellationToken);

    private ArrayMetadata CopyMetadata(long[] shape, JsonObject attributes) => new()
    {
        Shape = shape,
        DataType = Metadata.DataType,
        ChunkShape = Metadata.ChunkShape,
        ChunkKeyEncoding = Metadata.ChunkKeyEncoding,
        FillValue = Metadata.FillValue,
        Codecs = Metadata.Codecs,
        DimensionNames = Metadata.DimensionNames,
        Attributes = attributes,
    };

    private async ValueTask RewriteMetadataAsync(ArrayMetadata metadata, CancellationToken cancellationToken)
    {
        metadata.Validate(Path);
        await Writable.SetAsync(NodeName.MetadataKey(Path), metadata.ToBytes(), cancellationToken).ConfigureAwait(false);
        Metadata = metadata;
    }

    public string ChunkKey(ReadOnlySpan<long> chunkCoords)
    {
        var key = Metadata.ChunkKeyEncoding.Encode(chunkCoords);
        return Path.Length == 0 ? key : Path + "/" + key;
    }

    private ChunkSpec SpecFor(string key) => new(ChunkShape, DataType, Metadata.FillBytes, Path, key);

    public async ValueTask<byte[]> ReadRegionAsync(long[] start, long[] shape, CancellationToken cancellationToken = default)
    {
        var output = new byte[checked(shape.Aggregate(1L, (a, b) => a * b) * DataType.Size())];
        await ReadRegionAsync(start, shape, output, cancellationToken).ConfigureAwait(false);
        return output;
    }

    public async ValueTask<T[]> ReadAsync<T>(long[] start, long[] shape, CancellationToken cancellationToken = default) where T : unmanaged
    {
        CheckElementType<T>();
        var output = new T[checked(shape.Aggregate(1L, (a, b) => a * b))];
        await ReadRegionAsync(start, shape, MemoryMarshal.AsMemory<T>(output).Cast(), cancellationToken).ConfigureAwait(false);
        return output;
    }

    /// <summary>Reads a box of the array into <paramref name="destination"/> (C order, little-endian).</summary>
    public async ValueTask ReadRegionAsync(long[] start, long[] shape, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        CheckRegion(start, shape);
        var size = DataType.Size();
        if (destination.Length < shape.Aggregate(1L, (a, b) => a * b) * size)
            throw new ArgumentException("Destination is smaller than the region", nameof(destination));
        var chunks = ChunksOf(start, shape).ToList();
        async ValueTask ReadOne((long[] Coords, ChunkRegion Part, long[] TargetStart) chunk, CancellationToken ct)
        {
            var key = ChunkKey(chunk.Coords);
            var target = new RegionTarget(destination, shape, chunk.TargetStart, size);
            var found = await Pipeline.DecodeRegionAsync(new StoreRangeReader(Store, key, ShardIndexCache), SpecFor(key), chunk.Part, target, ct).ConfigureAwait(false);
            if (!found && ChunksRequired) throw new ZarrChunkMissingException("Chunk is missing", Path, key);
            if (!found) RegionCopy.Fill(destination.Span, shape, chunk.TargetStart, RegionCopy.ToLong(chunk.Part.Shape), Metadata.FillBytes);
        }
        if (chunks.Count == 1) await ReadOne(chunks[0], cancellationToken).ConfigureAwait(false);
        else await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken }, ReadOne).ConfigureAwait(false);
    }

    public ValueTask WriteAsync<T>(long[] start, long[] shape, T[] data, CancellationToken cancellationToken = default) where T : unmanaged
    {
        CheckElementType<T>();
        return WriteRegionAsync(start, shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), cancellationToken);
    }

    /// <summary>
    /// Writes a box of the array. Chunks the box covers are encoded from the data alone; others are read,
    /// updated and rewritten. Chunks left holding only the fill value are deleted, not stored.
    /// </summary>
    public async ValueTask WriteRegionAsync(long[] start, long[] shape, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var store = Writable;
        CheckRegion(start, shape);
        var size = DataType.Size();
        if (data.Length != shape.Aggregate(1L, (a, b) => a * b) * size)
            throw new ArgumentException($"Data holds {data.Length} bytes; the region needs {shape.Aggregate(1L, (a, b) => a * b) * size}", nameof(data));
        var chunkShape = RegionCopy.ToLong(ChunkShape);
        await Parallel.ForEachAsync(ChunksOf(start, shape), new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var key = ChunkKey(chunk.Coords);
                var spec = SpecFor(key);
                byte[] elements;
                if (CoversStoredPart(chunk.Coords, chunk.Part))
                {
                    elements = new byte[spec.ByteLength];
                    if (Metadata.FillBytes.AsSpan().ContainsAnyExcept((byte)0))
                        RegionCopy.Fill(elements, chunkShape, new long[Rank], chunkShape, Metadata.FillBytes);
                }
                else
                {
                    var existing = await Store.GetAsync(key, ct).ConfigureAwait(false);
                    if (existing is not null) elements = Pipeline.Decode(existing, spec);
                    else
                    {
                        elements = new byte[spec.ByteLength];
                        RegionCopy.Fill(elements, chunkShape, new long[Rank], chunkShape, Metadata.FillBytes);
                    }
                }
                RegionCopy.Copy(data.Span, shape, chunk.TargetStart, elements, chunkShape, RegionCopy.ToLong(chunk.Part.Start),
                    RegionCopy.ToLong(chunk.Part.Shape), size);
                ShardIndexCache?.Invalidate(key);
                if (!StoresFillChunks && RegionCopy.IsAll(elements, Metadata.FillBytes)) await store.DeleteAsync(key, ct).ConfigureAwait(false);
                else await store.SetAsync(key, Pipeline.Encode(elements, spec), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Encodes and stores one whole chunk, which may lie beyond the current shape (for appending: write chunks,
    /// then <see cref="ResizeAsync"/>). An all-fill chunk is deleted instead (unless <see cref="StoresFillChunks"/>).
    /// Returns the bytes stored.
    /// </summary>
    public async ValueTask<long> WriteChunkAsync(long[] chunkCoords, ReadOnlyMemory<byte> elements, CancellationToken cancellationToken = default)
    {
        var store = Writable;
        var key = ChunkKey(chunkCoords);
        var spec = SpecFor(key);
        if (elements.Length != spec.ByteLength) throw new ArgumentException($"A chunk holds {spec.ByteLength} bytes, not {elements.Length}", nameof(elements));
        ShardIndexCache?.Invalidate(key);
        if (!StoresFillChunks && RegionCopy.IsAll(elements.Span, Metadata.FillBytes))
        {
            await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        var encoded = Pipeline.Encode(elements.ToArray(), spec);
        await store.SetAsync(key, encoded, cancellationToken).ConfigureAwait(false);
        return encoded.Length;
    }

    /// <summary>True when the part is all of the chunk that lies inside the array (edge chunks are partly outside).</summary>
    private bool CoversStoredPart(long[] coords, ChunkRegion part)
    {
        for (var d = 0; d < Rank; d++)
        {
            var origin = coords[d] * ChunkShape[d];
            var inside = Math.Min(ChunkShape[d], Shape[d] - origin);
            if (part.Start[d] != 0 || part.Shape[d] != inside) return false;
        }
        return true;
    }

    /// <summary>The chunks a region touches: their grid coordinates, the part of each, and where it lands in the region.</summary>
    public IEnumerable<(long[] Coords, ChunkRegion Part, long[] TargetStart)> ChunksOf(long[] start, long[] shape)
    {
        if (shape.Any(s => s == 0)) yield break;
        var rank = Rank;
        var first = new long[rank];
        var last = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            first[d] = start[d] / ChunkShape[d];
            last[d] = (start[d] + shape[d] - 1) / ChunkShape[d];
        }
        var coords = (long[])first.Clone();
        while (true)
        {
            var partStart = new int[rank];
            var partShape = new int[rank];
            var targetStart = new long[rank];
            for (var d = 0; d < rank; d++)
            {
                var origin = coords[d] * ChunkShape[d];
                var lo = Math.Max(start[d], origin);
                var hi = Math.Min(start[d] + shape[d], origin + ChunkShape[d]);
                partStart[d] = (int)(lo - origin);
                partShape[d] = (int)(hi - lo);
                targetStart[d] = lo - start[d];
            }
            yield return ((long[])coords.Clone(), new ChunkRegion(partStart, partShape), targetStart);
            var dim = rank - 1;
            while (dim >= 0 && ++coords[dim] > last[dim]) { coords[dim] = first[dim]; dim--; }
            if (dim < 0) yield break;
        }
    }

    private void CheckRegion(long[] start, long[] shape)
    {
        if (start.Length != Rank || shape.Length != Rank)
            throw new ZarrIndexOutOfRangeException($"Region has {start.Length} dimensions, the array has {Rank}", Path);
        for (var d = 0; d < Rank; d++)
            if (start[d] < 0 || shape[d] < 0 || start[d] + shape[d] > Shape[d])
                throw new ZarrIndexOutOfRangeException(
                    $"Region [{string.Join(", ", start)}] + [{string.Join(", ", shape)}] lies outside shape [{string.Join(", ", Shape)}] in dimension {d}", Path);
    }

    private void CheckElementType<T>() where T : unmanaged
    {
        if (DataTypes.Of<T>() != DataType)
            throw new ArgumentException($"Array holds {DataType.ToName()}, not {typeof(T).Name}");
    }
}

internal static class MemoryCastExtensions
{
    /// <summary>Views typed memory as bytes (the element types here are all blittable).</summary>
    public static Memory<byte> Cast<T>(this Memory<T> memory) where T : unmanaged =>
        new UnmanagedMemoryManager<T>(memory).Memory;

    private sealed class UnmanagedMemoryManager<T>(Memory<T> source) : System.Buffers.MemoryManager<byte> where T : unmanaged
    {
        private System.Buffers.MemoryHandle _pin;
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(source.Span);
        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0)
        {
            _pin = source.Pin();
            unsafe { return new System.Buffers.MemoryHandle((byte*)_pin.Pointer + elementIndex); }
        }
        public override void Unpin() => _pin.Dispose();
        protected override void Dispose(bool disposing) { }
    }
}
