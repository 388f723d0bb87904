using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;

namespace ZarrAudio.PowerShell;

/// <summary>Converts between JSON metadata and PowerShell values (hashtables, arrays, scalars).</summary>
internal static class JsonConversion
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

    public static JsonObject ToJsonObject(IDictionary dictionary)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
            obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToNode(entry.Value);
        return obj;
    }

    public static JsonNode? ToNode(object? value)
    {
        if (value is PSObject { BaseObject: PSCustomObject } custom)
            return ToJsonObject(custom.Properties.ToDictionary(p => p.Name, p => (object?)p.Value));
        if (value is PSObject pso) value = pso.BaseObject;
        return value switch
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
            IDictionary d => ToJsonObject(d),
            IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
            _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    private static JsonObject ToJsonObject(Dictionary<string, object?> properties)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in properties) obj[k] = ToNode(v);
        return obj;
    }
}
