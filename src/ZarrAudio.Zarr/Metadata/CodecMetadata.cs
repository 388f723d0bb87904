using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Metadata;

/// <summary>One entry of a <c>codecs</c> list: a name and its configuration, as stored.</summary>
public sealed record CodecMetadata(string Name, JsonObject? Configuration = null)
{
    public JsonObject ToJson()
    {
        var obj = new JsonObject { ["name"] = Name };
        if (Configuration is not null) obj["configuration"] = Configuration.DeepClone();
        return obj;
    }

    public static CodecMetadata Parse(JsonNode? node, string? nodePath)
    {
        // The v3.1 short form (a bare string) is read, never written: some readers reject it.
        if (node is JsonValue v && v.TryGetValue<string>(out var bare)) return new CodecMetadata(bare);
        if (node is not JsonObject obj || obj["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name))
            throw new ZarrMetadataException("Each codec must be an object with a string 'name'", nodePath, "zarr.json");
        var config = obj["configuration"];
        if (config is not null and not JsonObject)
            throw new ZarrMetadataException($"Codec '{name}' has a configuration that is not an object", nodePath, "zarr.json");
        return new CodecMetadata(name, (JsonObject?)config?.DeepClone());
    }
}
