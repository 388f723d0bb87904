using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>
/// An ordered codec list: array→array codecs, exactly one array→bytes codec, then bytes→bytes codecs.
/// Encoding runs them in order, decoding in reverse.
/// </summary>
public sealed class CodecPipeline
{
    private CodecPipeline(IReadOnlyList<IArrayToArrayCodec> arrayCodecs, IArrayToBytesCodec bytesCodec, IReadOnlyList<IBytesToBytesCodec> byteCodecs)
    {
        ArrayCodecs = arrayCodecs;
        BytesCodec = bytesCodec;
        ByteCodecs = byteCodecs;
    }

    public IReadOnlyList<IArrayToArrayCodec> ArrayCodecs { get; }
    public IArrayToBytesCodec BytesCodec { get; }
    public IReadOnlyList<IBytesToBytesCodec> ByteCodecs { get; }

    /// <summary>True when a region can be decoded from part of the value (no whole-value transform in the way).</summary>
    public bool SupportsPartialDecode => ArrayCodecs.Count == 0 && ByteCodecs.Count == 0;

    public static CodecPipeline Create(IReadOnlyList<CodecMetadata> codecs, CodecContext context)
    {
        var arrayCodecs = new List<IArrayToArrayCodec>();
        var byteCodecs = new List<IBytesToBytesCodec>();
        IArrayToBytesCodec? bytesCodec = null;
        var shape = context.ChunkShape;
        foreach (var metadata in codecs)
        {
            var codec = CodecRegistry.Create(metadata, context with { ChunkShape = shape });
            switch (codec)
            {
                case IArrayToArrayCodec a when bytesCodec is null:
                    arrayCodecs.Add(a);
                    shape = a.EncodedSpec(new ChunkSpec(shape, context.DataType, [])).Shape;
                    break;
                case IArrayToBytesCodec b when bytesCodec is null:
                    bytesCodec = b;
                    break;
                case IBytesToBytesCodec c when bytesCodec is not null:
                    byteCodecs.Add(c);
                    break;
                default:
                    throw new ZarrMetadataException($"Codec '{metadata.Name}' is out of order: array→array codecs, one array→bytes codec, then bytes→bytes codecs", context.NodePath, NodeMetadata.Key);
            }
        }
        if (bytesCodec is null)
            throw new ZarrMetadataException("codecs need exactly one array→bytes codec (e.g. 'bytes')", context.NodePath, NodeMetadata.Key);
        return new CodecPipeline(arrayCodecs, bytesCodec, byteCodecs);
    }

    public IReadOnlyList<CodecMetadata> ToMetadata() =>
        ArrayCodecs.Cast<ICodec>().Append(BytesCodec).Concat(ByteCodecs)
            .Select(c => new CodecMetadata(c.Name, c.Configuration)).ToList();

    public byte[] Encode(byte[] elements, ChunkSpec spec)
    {
        foreach (var codec in ArrayCodecs)
        {
            elements = codec.Encode(elements, spec);
            spec = codec.EncodedSpec(spec);
        }
        var bytes = BytesCodec.Encode(elements, spec);
        foreach (var codec in ByteCodecs) bytes = codec.Encode(bytes, spec);
        return bytes;
    }

    public byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        var decodedSpec = spec;
        foreach (var codec in ArrayCodecs) decodedSpec = codec.EncodedSpec(decodedSpec);
        var bytes = encoded;
        byte[]? owned = null;
        for (var i = ByteCodecs.Count - 1; i >= 0; i--)
        {
            // A checksum is checked where the bytes lie and stripped by slicing: no copy of the chunk for it.
            if (ByteCodecs[i] is Crc32cCodec)
            {
                bytes = Crc32cCodec.Check(bytes, decodedSpec);
                continue;
            }
            owned = ByteCodecs[i].Decode(bytes, decodedSpec);
            bytes = owned;
        }
        // Little-endian bytes that a codec already produced in an array of their own are the elements as they are.
        var elements = owned is not null && bytes.Length == owned.Length && BytesCodec is BytesCodec { BigEndian: false }
            && bytes.Length == decodedSpec.ByteLength ? owned : BytesCodec.Decode(bytes, decodedSpec);
        if (ArrayCodecs.Count > 0)
        {
            var specs = new List<ChunkSpec> { spec };
            foreach (var codec in ArrayCodecs) specs.Add(codec.EncodedSpec(specs[^1]));
            for (var i = ArrayCodecs.Count - 1; i >= 0; i--) elements = ArrayCodecs[i].Decode(elements, specs[i]);
        }
        if (elements.Length != spec.ByteLength)
            throw new ZarrChunkSizeException($"Chunk decodes to {elements.Length} bytes, expected {spec.ByteLength}", spec.NodePath, spec.Key);
        return elements;
    }

    /// <summary>Encoded size for chunks of this spec, when every codec makes it fixed.</summary>
    public long? EncodedSize(ChunkSpec spec)
    {
        if (ArrayCodecs.Count > 0) return null;
        var size = BytesCodec.EncodedSize(spec);
        foreach (var codec in ByteCodecs)
            size = size is null ? null : codec.EncodedSize(size.Value);
        return size;
    }

    /// <summary>Decodes one region of a chunk into the target; false when the chunk is absent.</summary>
    public async ValueTask<bool> DecodeRegionAsync(IByteRangeReader source, ChunkSpec spec, ChunkRegion region, RegionTarget target, CancellationToken cancellationToken)
    {
        // Shards always read part by part (index, then inner chunks); plain bytes only when the region is a part.
        if (SupportsPartialDecode && (BytesCodec is ShardingCodec || !region.Covers(spec.Shape)))
            return await BytesCodec.DecodeRegionAsync(source, spec, region, target, cancellationToken).ConfigureAwait(false);
        var encoded = await source.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        if (encoded is null) return false;
        var elements = Decode(encoded, spec);
        RegionCopy.Copy(elements, RegionCopy.ToLong(spec.Shape), RegionCopy.ToLong(region.Start), target.Buffer.Span,
            target.Shape, target.Start, RegionCopy.ToLong(region.Shape), spec.DataType.Size());
        return true;
    }
}
