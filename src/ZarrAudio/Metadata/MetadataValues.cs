using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ZarrAudio.Metadata;

/// <summary>
/// Converts between stored JSON metadata and plain .NET values: dictionaries (case-insensitive Hashtables
/// on the way out), arrays, strings, numbers, booleans, dates. This is the engine's public face for metadata,
/// so hosts never need the engine's JSON library (the PowerShell module loads it in its own load context).
/// </summary>
public static class MetadataValues
{
    public static Hashtable ToHashtable(JsonObject obj)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in obj) table[key] = ToValue(value);
        return table;
    }

    private static object? ToValue(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => ToHashtable(o),
        JsonArray a => a.Select(ToValue).ToArray(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<decimal>(out var d) && d == Math.Floor(d) && d >= ulong.MinValue && d <= ulong.MaxValue => (ulong)d,
        JsonValue v when v.TryGetValue<double>(out var f) => f,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>A dictionary of plain values as a JSON object; keys become strings.</summary>
    public static JsonObject FromDictionary(IDictionary dictionary)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
            obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToNode(entry.Value);
        return obj;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        char c => JsonValue.Create(c.ToString()),
        DateTime dt => JsonValue.Create(dt.ToString("o", CultureInfo.InvariantCulture)),
        DateTimeOffset dto => JsonValue.Create(dto.ToString("o", CultureInfo.InvariantCulture)),
        Enum e => JsonValue.Create(e.ToString()),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        float or double or decimal => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        IDictionary d => FromDictionary(d),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
