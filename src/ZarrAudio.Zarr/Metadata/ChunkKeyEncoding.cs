using System.Text;
using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Metadata;

/// <summary>The <c>default</c> (<c>c/1/2</c>) and <c>v2</c> (<c>1.2</c>) chunk key encodings.</summary>
public sealed record ChunkKeyEncoding(string Name, char Separator)
{
    public static readonly ChunkKeyEncoding Default = new("default", '/');
    public static ChunkKeyEncoding DefaultWith(char separator) => new("default", separator);

    public string Encode(ReadOnlySpan<long> chunkCoords)
    {
        var sb = new StringBuilder(Name == "default" ? "c" : "");
        for (var i = 0; i < chunkCoords.Length; i++)
        {
            if (i > 0 || Name == "default") sb.Append(Separator);
            sb.Append(chunkCoords[i]);
        }
        if (sb.Length == 0) sb.Append('0'); // v2 encoding of a 0-d array
        return sb.ToString();
    }

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject { ["separator"] = Separator.ToString() },
    };

    public static ChunkKeyEncoding Parse(JsonNode? node, string? nodePath)
    {
        if (node is not JsonObject obj || obj["name"]?.GetValue<string>() is not { } name)
            throw new ZarrMetadataException("chunk_key_encoding must be an object with a name", nodePath, "zarr.json");
        var separator = obj["configuration"]?["separator"]?.GetValue<string>();
        return name switch
        {
            "default" => new ChunkKeyEncoding(name, CheckSeparator(separator ?? "/")),
            "v2" => new ChunkKeyEncoding(name, CheckSeparator(separator ?? ".")),
            _ => throw new ZarrMetadataException($"Unknown chunk_key_encoding '{name}'", nodePath, "zarr.json"),
        };

        char CheckSeparator(string s) => s is "/" or "."
            ? s[0]
            : throw new ZarrMetadataException($"Chunk key separator must be '/' or '.', not '{s}'", nodePath, "zarr.json");
    }
}
