using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Metadata;

public enum NodeType { Group, Array }

/// <summary>What a <c>zarr.json</c> holds in common, and the rules for reading one.</summary>
public abstract class NodeMetadata
{
    public const string Key = "zarr.json";
    internal static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    public JsonObject Attributes { get; init; } = new();
    public abstract NodeType NodeType { get; }

    public abstract JsonObject ToJson();

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToJson().ToJsonString(WriteOptions));

    /// <summary>Parses a zarr.json of either node type.</summary>
    public static NodeMetadata Parse(ReadOnlySpan<byte> json, string? nodePath)
    {
        try { return ParseChecked(json, nodePath); }
        catch (Exception e) when (MalformedData.Is(e))
        {
            throw new ZarrMetadataException($"zarr.json is malformed: {e.Message}", nodePath, Key, e);
        }
    }

    private static NodeMetadata ParseChecked(ReadOnlySpan<byte> json, string? nodePath)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new ZarrMetadataException("zarr.json is not a JSON object", nodePath, Key);
        }
        catch (JsonException e)
        {
            throw new ZarrMetadataException($"zarr.json is not valid JSON: {e.Message}", nodePath, Key, e);
        }
        if (root["zarr_format"] is not JsonValue format || !format.TryGetValue<int>(out var version) || version != 3)
            throw new ZarrMetadataException($"zarr_format must be 3, found {root["zarr_format"]?.ToJsonString() ?? "nothing"}", nodePath, Key);
        var nodeType = root["node_type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        return nodeType switch
        {
            "group" => GroupMetadata.FromJson(root, nodePath),
            "array" => ArrayMetadata.FromJson(root, nodePath),
            _ => throw new ZarrMetadataException($"node_type must be \"group\" or \"array\", found {root["node_type"]?.ToJsonString() ?? "nothing"}", nodePath, Key),
        };
    }

    /// <summary>Refuses keys this reader does not know unless they say <c>"must_understand": false</c>.</summary>
    internal static void RejectUnknownKeys(JsonObject root, IReadOnlySet<string> known, string? nodePath)
    {
        foreach (var (name, value) in root)
        {
            if (known.Contains(name)) continue;
            if (value is JsonObject ext && ext["must_understand"] is JsonValue mu && mu.TryGetValue<bool>(out var must) && !must) continue;
            throw new ZarrMetadataException($"zarr.json has key '{name}' that this reader does not understand", nodePath, Key);
        }
    }

    internal static JsonObject ParseAttributes(JsonObject root, string? nodePath) => root["attributes"] switch
    {
        null => new JsonObject(),
        JsonObject a => (JsonObject)a.DeepClone(),
        _ => throw new ZarrMetadataException("attributes must be a JSON object", nodePath, Key),
    };
}

public sealed class GroupMetadata : NodeMetadata
{
    private static readonly HashSet<string> Known = ["zarr_format", "node_type", "attributes"];
    public override NodeType NodeType => NodeType.Group;

    public override JsonObject ToJson() => new()
    {
        ["zarr_format"] = 3,
        ["node_type"] = "group",
        ["attributes"] = Attributes.DeepClone(),
    };

    internal static GroupMetadata FromJson(JsonObject root, string? nodePath)
    {
        RejectUnknownKeys(root, Known, nodePath);
        return new GroupMetadata { Attributes = ParseAttributes(root, nodePath) };
    }
}
