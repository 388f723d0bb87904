using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ZarrAudio.Metadata;

/// <summary>JSON settings for metadata stored in Zarr attributes: snake_case, ISO dates, no nulls.</summary>
internal static class MetadataJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static JsonObject ToObject<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!.AsObject();
    public static T FromObject<T>(JsonNode? node) where T : new() => node is null ? new T() : node.Deserialize<T>(Options) ?? new T();
}
