using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>What a codec factory is told about the chunks it will see.</summary>
public sealed record CodecContext(DataType DataType, int[] ChunkShape, string? NodePath);

/// <summary>Maps codec names to factories. The core codecs are registered; others may be added.</summary>
public static class CodecRegistry
{
    private static readonly ConcurrentDictionary<string, Func<JsonObject?, CodecContext, ICodec>> Factories = new(StringComparer.Ordinal)
    {
        ["bytes"] = (c, ctx) =>
        {
            if (ctx.DataType.Size() > 1 && c?["endian"] is null)
                throw new ZarrMetadataException($"bytes codec needs 'endian' for {ctx.DataType.ToName()}", ctx.NodePath, NodeMetadata.Key);
            return BytesCodec.FromConfiguration(c, ctx.NodePath);
        },
        ["transpose"] = (c, ctx) => TransposeCodec.FromConfiguration(c, ctx.ChunkShape.Length, ctx.NodePath),
        ["gzip"] = (c, _) => GzipCodec.FromConfiguration(c),
        ["zstd"] = (c, _) => ZstdCodec.FromConfiguration(c),
        ["blosc"] = (c, ctx) => BloscCodec.FromConfiguration(c, ctx.DataType.Size()),
        ["crc32c"] = (_, _) => new Crc32cCodec(),
        ["sharding_indexed"] = (c, ctx) => ShardingCodec.FromConfiguration(c, ctx),
    };

    public static void Register(string name, Func<JsonObject?, CodecContext, ICodec> factory) => Factories[name] = factory;

    public static ICodec Create(CodecMetadata metadata, CodecContext context)
    {
        if (!Factories.TryGetValue(metadata.Name, out var factory))
            throw new ZarrCodecException($"Unknown codec '{metadata.Name}'", context.NodePath, NodeMetadata.Key);
        try
        {
            return factory(metadata.Configuration, context);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or NullReferenceException)
        {
            throw new ZarrMetadataException($"Codec '{metadata.Name}' has an invalid configuration: {e.Message}", context.NodePath, NodeMetadata.Key, e);
        }
    }
}
