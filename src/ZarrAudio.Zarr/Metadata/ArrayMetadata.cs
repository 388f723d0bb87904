using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Metadata;

/// <summary>The metadata of a Zarr v3 array: every required field, regular chunk grid only.</summary>
public sealed class ArrayMetadata : NodeMetadata
{
    private static readonly HashSet<string> Known =
    [
        "zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding",
        "fill_value", "codecs", "attributes", "dimension_names", "storage_transformers",
    ];

    public override NodeType NodeType => NodeType.Array;
    public required long[] Shape { get; init; }
    public required DataType DataType { get; init; }
    public required int[] ChunkShape { get; init; }
    public ChunkKeyEncoding ChunkKeyEncoding { get; init; } = ChunkKeyEncoding.Default;
    /// <summary>One element, little-endian. Defaults to zero.</summary>
    public byte[]? FillValue { get; init; }
    public required IReadOnlyList<CodecMetadata> Codecs { get; init; }
    public IReadOnlyList<string?>? DimensionNames { get; init; }

    public byte[] FillBytes => FillValue ?? new byte[DataType.Size()];

    public override JsonObject ToJson()
    {
        var obj = new JsonObject
        {
            ["zarr_format"] = 3,
            ["node_type"] = "array",
            ["shape"] = new JsonArray(Shape.Select(s => (JsonNode)s).ToArray()),
            ["data_type"] = DataType.ToName(),
            ["chunk_grid"] = new JsonObject
            {
                ["name"] = "regular",
                ["configuration"] = new JsonObject { ["chunk_shape"] = new JsonArray(ChunkShape.Select(s => (JsonNode)s).ToArray()) },
            },
            ["chunk_key_encoding"] = ChunkKeyEncoding.ToJson(),
            ["fill_value"] = Metadata.FillValue.ToJson(FillBytes, DataType),
            ["codecs"] = new JsonArray(Codecs.Select(c => (JsonNode)c.ToJson()).ToArray()),
            ["attributes"] = Attributes.DeepClone(),
        };
        if (DimensionNames is not null)
            obj["dimension_names"] = new JsonArray(DimensionNames.Select(n => n is null ? null : (JsonNode)n).ToArray());
        return obj;
    }

    /// <summary>Checks the invariants a writer must keep; called before a zarr.json is written.</summary>
    public void Validate(string? nodePath)
    {
        if (Shape.Length != ChunkShape.Length)
            throw new ZarrMetadataException($"chunk_shape has {ChunkShape.Length} dimensions but shape has {Shape.Length}", nodePath, Key);
        if (Shape.Any(s => s < 0)) throw new ZarrMetadataException("shape must not be negative", nodePath, Key);
        if (ChunkShape.Any(s => s <= 0)) throw new ZarrMetadataException("chunk_shape must be positive", nodePath, Key);
        if (DimensionNames is not null && DimensionNames.Count != Shape.Length)
            throw new ZarrMetadataException("dimension_names must have one entry per dimension", nodePath, Key);
        if (Codecs.Count == 0) throw new ZarrMetadataException("codecs must not be empty", nodePath, Key);
        if (FillValue is not null && FillValue.Length != DataType.Size())
            throw new ZarrMetadataException("fill value has the wrong size for the data type", nodePath, Key);
    }

    internal static ArrayMetadata FromJson(JsonObject root, string? nodePath)
    {
        RejectUnknownKeys(root, Known, nodePath);
        var shape = LongArray(Require(root, "shape", nodePath), "shape", nodePath);
        var dataTypeName = Require(root, "data_type", nodePath) is JsonValue dv && dv.TryGetValue<string>(out var dn) ? dn : null;
        if (dataTypeName is null || !DataTypes.TryParse(dataTypeName, out var dataType))
            throw new ZarrMetadataException($"Unsupported data_type {root["data_type"]!.ToJsonString()}", nodePath, Key);

        if (Require(root, "chunk_grid", nodePath) is not JsonObject grid || grid["name"]?.GetValue<string>() != "regular")
            throw new ZarrMetadataException($"Unsupported chunk_grid {root["chunk_grid"]!.ToJsonString()}: only 'regular' is known", nodePath, Key);
        var chunkShape = LongArray(grid["configuration"]?["chunk_shape"], "chunk_grid.configuration.chunk_shape", nodePath)
            .Select(c => c is > 0 and <= int.MaxValue ? (int)c : throw new ZarrMetadataException("chunk_shape entries must be positive 32-bit integers", nodePath, Key))
            .ToArray();

        var keyEncoding = ChunkKeyEncoding.Parse(Require(root, "chunk_key_encoding", nodePath), nodePath);
        if (!root.ContainsKey("fill_value")) throw new ZarrMetadataException("zarr.json lacks required key 'fill_value'", nodePath, Key);
        var fill = Metadata.FillValue.Parse(root["fill_value"], dataType, nodePath);

        if (Require(root, "codecs", nodePath) is not JsonArray codecsJson || codecsJson.Count == 0)
            throw new ZarrMetadataException("codecs must be a non-empty list", nodePath, Key);
        var codecs = codecsJson.Select(c => CodecMetadata.Parse(c, nodePath)).ToList();

        if (root["storage_transformers"] is JsonArray { Count: > 0 } transformers)
            throw new ZarrMetadataException($"Unsupported storage transformer {transformers[0]!.ToJsonString()}", nodePath, Key);

        List<string?>? dimensionNames = null;
        if (root["dimension_names"] is JsonArray names)
            dimensionNames = names.Select(n => n is null ? null : n.GetValue<string>()).ToList();
        else if (root["dimension_names"] is not null)
            throw new ZarrMetadataException("dimension_names must be a list", nodePath, Key);

        var metadata = new ArrayMetadata
        {
            Shape = shape,
            DataType = dataType,
            ChunkShape = chunkShape,
            ChunkKeyEncoding = keyEncoding,
            FillValue = fill,
            Codecs = codecs,
            DimensionNames = dimensionNames,
            Attributes = ParseAttributes(root, nodePath),
        };
        metadata.Validate(nodePath);
        return metadata;
    }

    private static JsonNode Require(JsonObject root, string name, string? nodePath) =>
        root[name] ?? throw new ZarrMetadataException($"zarr.json lacks required key '{name}'", nodePath, Key);

    private static long[] LongArray(JsonNode? node, string what, string? nodePath)
    {
        if (node is not JsonArray array) throw new ZarrMetadataException($"{what} must be a list of integers", nodePath, Key);
        return array.Select(n => n is JsonValue v && v.TryGetValue<long>(out var l) ? l
            : throw new ZarrMetadataException($"{what} must be a list of integers", nodePath, Key)).ToArray();
    }
}
