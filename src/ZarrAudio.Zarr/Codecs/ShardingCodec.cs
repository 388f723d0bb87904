using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>
/// The <c>sharding_indexed</c> codec: a shard holds inner chunks, each encoded with its own pipeline,
/// and an index of (offset, nbytes) per inner chunk, at the start or the end. Reads fetch the index and
/// then only the inner chunks a region needs.
/// </summary>
public sealed class ShardingCodec : IArrayToBytesCodec
{
    private const ulong Empty = ulong.MaxValue;
    // Inner chunks closer than this are fetched in one request.
    private const long CoalesceGap = 16 * 1024;

    public ShardingCodec(int[] innerChunkShape, CodecPipeline innerCodecs, CodecPipeline indexCodecs, bool indexAtEnd)
    {
        InnerChunkShape = innerChunkShape;
        InnerCodecs = innerCodecs;
        IndexCodecs = indexCodecs;
        IndexAtEnd = indexAtEnd;
    }

    public int[] InnerChunkShape { get; }
    public CodecPipeline InnerCodecs { get; }
    public CodecPipeline IndexCodecs { get; }
    public bool IndexAtEnd { get; }
    public string Name => "sharding_indexed";

    public JsonObject? Configuration => new()
    {
        ["chunk_shape"] = new JsonArray(InnerChunkShape.Select(s => (JsonNode)s).ToArray()),
        ["codecs"] = new JsonArray(InnerCodecs.ToMetadata().Select(c => (JsonNode)c.ToJson()).ToArray()),
        ["index_codecs"] = new JsonArray(IndexCodecs.ToMetadata().Select(c => (JsonNode)c.ToJson()).ToArray()),
        ["index_location"] = IndexAtEnd ? "end" : "start",
    };

    /// <summary>The usual layout: inner codecs as given, index as little-endian bytes with crc32c.</summary>
    public static ShardingCodec Create(int[] innerChunkShape, IReadOnlyList<CodecMetadata> innerCodecs, DataType dataType, bool indexAtEnd = true)
    {
        var context = new CodecContext(dataType, innerChunkShape, null);
        return new ShardingCodec(innerChunkShape, CodecPipeline.Create(innerCodecs, context),
            CodecPipeline.Create([new("bytes", new JsonObject { ["endian"] = "little" }), new("crc32c")],
                new CodecContext(DataType.UInt64, [.. innerChunkShape, 2], null)), indexAtEnd);
    }

    internal static ShardingCodec FromConfiguration(JsonObject? config, CodecContext context)
    {
        ZarrMetadataException Bad(string why) => new($"sharding_indexed: {why}", context.NodePath, NodeMetadata.Key);
        if (config is null) throw Bad("configuration is required");
        var inner = (config["chunk_shape"] as JsonArray)?.Select(n => n!.GetValue<int>()).ToArray() ?? throw Bad("chunk_shape is required");
        if (inner.Length != context.ChunkShape.Length) throw Bad("chunk_shape has the wrong number of dimensions");
        for (var d = 0; d < inner.Length; d++)
            if (inner[d] <= 0 || context.ChunkShape[d] % inner[d] != 0)
                throw Bad($"inner chunk_shape [{string.Join(", ", inner)}] must divide the shard shape [{string.Join(", ", context.ChunkShape)}]");
        var location = config["index_location"]?.GetValue<string>() ?? "end";
        if (location is not ("start" or "end")) throw Bad($"index_location must be 'start' or 'end', not '{location}'");
        var codecs = (config["codecs"] as JsonArray ?? throw Bad("codecs is required")).Select(c => CodecMetadata.Parse(c, context.NodePath)).ToList();
        var indexCodecs = (config["index_codecs"] as JsonArray ?? throw Bad("index_codecs is required")).Select(c => CodecMetadata.Parse(c, context.NodePath)).ToList();
        var chunksPerShard = context.ChunkShape.Select((s, d) => s / inner[d]).ToArray();
        var codec = new ShardingCodec(inner,
            CodecPipeline.Create(codecs, context with { ChunkShape = inner }),
            CodecPipeline.Create(indexCodecs, new CodecContext(DataType.UInt64, [.. chunksPerShard, 2], context.NodePath)),
            location == "end");
        if (codec.IndexSize(context.ChunkShape) is null) throw Bad("index_codecs must produce a fixed size (e.g. bytes, crc32c)");
        return codec;
    }

    private int[] ChunksPerShard(int[] shardShape) => shardShape.Select((s, d) => s / InnerChunkShape[d]).ToArray();

    private ChunkSpec IndexSpec(int[] shardShape, ChunkSpec? outer = null) =>
        new([.. ChunksPerShard(shardShape), 2], DataType.UInt64, BitConverter.GetBytes(Empty), outer?.NodePath, outer?.Key);

    private long? IndexSize(int[] shardShape) => IndexCodecs.EncodedSize(IndexSpec(shardShape));

    public long? EncodedSize(ChunkSpec spec) => null;

    public byte[] Encode(ReadOnlySpan<byte> elements, ChunkSpec spec)
    {
        var perShard = ChunksPerShard(spec.Shape);
        var count = perShard.Aggregate(1, (a, b) => a * b);
        var innerSpec = spec.WithShape(InnerChunkShape);
        var index = new ulong[count * 2];
        var parts = new List<byte[]>();
        var shardShape = RegionCopy.ToLong(spec.Shape);
        var innerShape = RegionCopy.ToLong(InnerChunkShape);
        var size = spec.DataType.Size();
        var indexSize = IndexSize(spec.Shape)!.Value;
        long offset = IndexAtEnd ? 0 : indexSize;
        // Inner chunks are encoded in parallel (compression is most of a shard's cost), then laid out in order.
        var encodedChunks = new byte[]?[count];
        var source = elements.ToArray(); // a span cannot cross into the parallel loop; one copy is small beside compression
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count < 4 ? 1 : Environment.ProcessorCount }, i =>
        {
            var coords = new int[perShard.Length];
            for (int d = perShard.Length - 1, rest = i; d >= 0; d--) { coords[d] = rest % perShard[d]; rest /= perShard[d]; }
            var inner = new byte[innerSpec.ByteLength];
            var start = coords.Select((c, d) => (long)c * InnerChunkShape[d]).ToArray();
            RegionCopy.Copy(source, shardShape, start, inner, innerShape, new long[innerShape.Length], innerShape, size);
            encodedChunks[i] = RegionCopy.IsAll(inner, spec.FillValue) ? null : InnerCodecs.Encode(inner, innerSpec);
        });
        for (var i = 0; i < count; i++)
        {
            if (encodedChunks[i] is not { } encoded)
            {
                index[2 * i] = index[2 * i + 1] = Empty;
                continue;
            }
            index[2 * i] = (ulong)offset;
            index[2 * i + 1] = (ulong)encoded.Length;
            offset += encoded.Length;
            parts.Add(encoded);
        }
        var indexBytes = IndexCodecs.Encode(System.Runtime.InteropServices.MemoryMarshal.AsBytes(index.AsSpan()).ToArray(), IndexSpec(spec.Shape));
        var output = new byte[offset + (IndexAtEnd ? indexBytes.Length : 0)];
        var at = IndexAtEnd ? 0 : indexBytes.Length;
        if (!IndexAtEnd) indexBytes.CopyTo(output, 0);
        foreach (var part in parts) { part.CopyTo(output, at); at += part.Length; }
        if (IndexAtEnd) indexBytes.CopyTo(output, at);
        return output;
    }

    public byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        var output = new byte[spec.ByteLength];
        var whole = ChunkRegion.Whole(spec.Shape);
        var target = new RegionTarget(output, RegionCopy.ToLong(spec.Shape), new long[spec.Shape.Length], spec.DataType.Size());
        // Decoding from memory completes synchronously; GetResult also rethrows a synchronous failure.
        DecodeRegionAsync(new MemoryRangeReader(encoded.ToArray()), spec, whole, target, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return output;
    }

    public async ValueTask<bool> DecodeRegionAsync(IByteRangeReader source, ChunkSpec spec, ChunkRegion region, RegionTarget target, CancellationToken cancellationToken)
    {
        long? shardLength;
        ulong[] index;
        var cache = source.IndexCache;
        if (cache is { } c && c.Cache.TryGet(c.Key, out var cachedLength, out var cachedIndex))
        {
            (shardLength, index) = (cachedLength, cachedIndex);
        }
        else
        {
            shardLength = await source.GetSizeAsync(cancellationToken).ConfigureAwait(false);
            if (shardLength is null) return false;
            index = await ReadIndexAsync(source, spec, shardLength.Value, cancellationToken).ConfigureAwait(false);
            if (cache is { } store) store.Cache.Set(store.Key, shardLength.Value, index);
        }
        var perShard = ChunksPerShard(spec.Shape);
        var rank = perShard.Length;
        var innerSpec = spec.WithShape(InnerChunkShape);
        var dataEnd = IndexAtEnd ? shardLength!.Value - IndexSize(spec.Shape)!.Value : shardLength!.Value;

        // The inner chunks the region touches, each with the part of it that is wanted.
        var first = new int[rank];
        var last = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            first[d] = region.Start[d] / InnerChunkShape[d];
            last[d] = (region.Start[d] + region.Shape[d] - 1) / InnerChunkShape[d];
            if (region.Shape[d] == 0) return true;
        }
        var wanted = new List<(int Linear, ChunkRegion Part, long[] TargetStart)>();
        var coords = (int[])first.Clone();
        while (true)
        {
            var linear = 0;
            var partStart = new int[rank];
            var partShape = new int[rank];
            var targetStart = new long[rank];
            for (var d = 0; d < rank; d++)
            {
                linear = linear * perShard[d] + coords[d];
                var origin = coords[d] * InnerChunkShape[d];
                var lo = Math.Max(region.Start[d], origin);
                var hi = Math.Min(region.Start[d] + region.Shape[d], origin + InnerChunkShape[d]);
                partStart[d] = lo - origin;
                partShape[d] = hi - lo;
                targetStart[d] = target.Start[d] + (lo - region.Start[d]);
            }
            wanted.Add((linear, new ChunkRegion(partStart, partShape), targetStart));
            var dim = rank - 1;
            while (dim >= 0 && ++coords[dim] > last[dim]) { coords[dim] = first[dim]; dim--; }
            if (dim < 0) break;
        }

        var present = new List<(long Offset, long Length, ChunkRegion Part, long[] TargetStart)>();
        foreach (var (linear, part, targetStart) in wanted)
        {
            var offset = index[2 * linear];
            var length = index[2 * linear + 1];
            if (offset == Empty && length == Empty)
            {
                RegionCopy.Fill(target.Buffer.Span, target.Shape, targetStart, RegionCopy.ToLong(part.Shape), spec.FillValue);
                continue;
            }
            if (offset > (ulong)dataEnd || length > (ulong)dataEnd - offset)
                throw new ZarrChunkSizeException($"Shard index points past the data (inner chunk {linear}: offset {offset}, {length} bytes, shard data ends at {dataEnd}); the shard is truncated or corrupt", spec.NodePath, spec.Key);
            present.Add(((long)offset, (long)length, part, targetStart));
        }

        // Plain inner chunks are read in part: only the bytes each needs, with the parts of neighbouring chunks fetched in
        // one request (a 100 ms read that crosses an inner-chunk boundary is still one ranged GET). Other inner codecs
        // need whole chunks, fetched in coalesced groups.
        var partialInner = InnerCodecs.SupportsPartialDecode;
        var plainInner = partialInner && InnerCodecs.BytesCodec is BytesCodec;
        var needed = present.Select(c => plainInner ? BytesCodec.PartRange(innerSpec, c.Part) : (0L, c.Length)).ToList();
        foreach (var group in Coalesce(present, needed, separate: partialInner && !plainInner))
        {
            IByteRangeReader groupReader = source;
            var groupStart = 0L;
            if (!partialInner || (plainInner && group.Count > 1))
            {
                var start = group[0].Offset + group[0].Needed.Offset;
                var span = group[^1].Offset + group[^1].Needed.Offset + group[^1].Needed.Length - start;
                var bytes = await source.ReadAsync(ByteRange.FromOffset(start, span), cancellationToken).ConfigureAwait(false)
                    ?? throw new ZarrChunkMissingException("Shard vanished while it was read", spec.NodePath, spec.Key);
                if (bytes.Length != span) throw new ZarrChunkSizeException("Shard is truncated", spec.NodePath, spec.Key);
                groupReader = new MemoryRangeReader(bytes);
                groupStart = start;
            }
            foreach (var chunk in group)
            {
                // The window starts where the chunk does (possibly before the bytes fetched: only its needed part is read).
                var reader = new WindowRangeReader(groupReader, chunk.Offset - groupStart, chunk.Length);
                var partTarget = target with { Start = chunk.TargetStart };
                // The index says this inner chunk exists: if its bytes cannot be read, the shard is gone (a cached
                // index outlived it), and the target must not keep whatever it held before.
                if (!await InnerCodecs.DecodeRegionAsync(reader, innerSpec, chunk.Part, partTarget, cancellationToken).ConfigureAwait(false))
                    throw new ZarrChunkMissingException($"Shard vanished: inner chunk at bytes {chunk.Offset}..{chunk.Offset + chunk.Length} of its index is gone", spec.NodePath, spec.Key);
            }
        }
        return true;
    }

    /// <summary>
    /// Groups inner chunks whose needed bytes (<paramref name="needed"/>: offset and length within each chunk) lie within
    /// <see cref="CoalesceGap"/> of each other in the shard, in shard order; with <paramref name="separate"/>, one each.
    /// </summary>
    private static IEnumerable<List<(long Offset, long Length, ChunkRegion Part, long[] TargetStart, (long Offset, long Length) Needed)>> Coalesce(
        List<(long Offset, long Length, ChunkRegion Part, long[] TargetStart)> chunks, List<(long Offset, long Length)> needed, bool separate)
    {
        var all = chunks.Select((c, i) => (c.Offset, c.Length, c.Part, c.TargetStart, Needed: needed[i])).ToList();
        if (separate)
        {
            foreach (var c in all) yield return [c];
            yield break;
        }
        List<(long Offset, long Length, ChunkRegion Part, long[] TargetStart, (long Offset, long Length) Needed)>? group = null;
        foreach (var c in all.OrderBy(c => c.Offset))
        {
            if (group is not null && (c.Offset + c.Needed.Offset) - (group[^1].Offset + group[^1].Needed.Offset + group[^1].Needed.Length) is >= 0 and <= CoalesceGap)
            {
                group.Add(c);
                continue;
            }
            if (group is not null) yield return group;
            group = [c];
        }
        if (group is not null) yield return group;
    }

    private async ValueTask<ulong[]> ReadIndexAsync(IByteRangeReader source, ChunkSpec spec, long shardLength, CancellationToken cancellationToken)
    {
        var indexSize = IndexSize(spec.Shape)!.Value;
        if (shardLength < indexSize)
            throw new ZarrChunkSizeException($"Shard has {shardLength} bytes, fewer than its {indexSize}-byte index", spec.NodePath, spec.Key);
        // An explicit range, not a suffix range: some S3 servers ignore suffix ranges.
        var range = ByteRange.FromOffset(IndexAtEnd ? shardLength - indexSize : 0, indexSize);
        var bytes = await source.ReadAsync(range, cancellationToken).ConfigureAwait(false)
            ?? throw new ZarrChunkSizeException("Shard vanished while its index was read", spec.NodePath, spec.Key);
        var decoded = IndexCodecs.Decode(bytes, IndexSpec(spec.Shape, spec));
        var index = new ulong[decoded.Length / 8];
        for (var i = 0; i < index.Length; i++) index[i] = BinaryPrimitives.ReadUInt64LittleEndian(decoded.AsSpan(i * 8));
        return index;
    }
}
