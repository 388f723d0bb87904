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
        var table = new MetadataTable(obj.ToJsonString());
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
        JsonValue v when v.TryGetValue<string>(out var s) => DateOrString(s),
        _ => node.ToJsonString(),
    };

    // Dates are stored as round-trip ISO 8601 ("o": seven fractional digits), which is how they are told from
    // text: "Z" came from a DateTime (stored in UTC), an offset from a DateTimeOffset.
    private static readonly System.Text.RegularExpressions.Regex RoundTripDate =
        new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}(Z|[+-]\d{2}:\d{2})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static object DateOrString(string s)
    {
        if (!RoundTripDate.IsMatch(s)) return s;
        if (s.EndsWith('Z') && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var utc)) return utc;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto)) return dto;
        return s;
    }

    /// <summary>How deeply user metadata may nest (dictionaries and lists).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// A dictionary of plain values as a JSON object; keys become strings. Refused, naming the key: values that
    /// contain themselves, values nested deeper than <see cref="MaxDepth"/>, and values that are not data
    /// (a script block, a process: anything but text, numbers, booleans, dates, GUIDs, enums, lists and dictionaries).
    /// A host whose values come wrapped (PowerShell's PSObject) passes <paramref name="unwrap"/>, applied to every key
    /// and value before it is converted, so this one walk does all the checking.
    /// </summary>
    public static JsonObject FromDictionary(IDictionary dictionary, Func<object?, object?>? unwrap = null) =>
        new Walk(unwrap ?? (v => v)).Object(dictionary, "", 0);

    private sealed class Walk(Func<object?, object?> unwrap)
    {
        private readonly HashSet<object> _open = new(ReferenceEqualityComparer.Instance);

        public JsonObject Object(IDictionary dictionary, string path, int depth)
        {
            Enter(dictionary, path, depth);
            var obj = new JsonObject();
            foreach (DictionaryEntry entry in dictionary)
            {
                var key = Convert.ToString(unwrap(entry.Key), CultureInfo.InvariantCulture)!;
                obj[key] = Node(entry.Value, path.Length == 0 ? key : path + "." + key, depth + 1);
            }
            _open.Remove(dictionary);
            return obj;
        }

        private void Enter(object container, string path, int depth)
        {
            var where = path.Length == 0 ? "user metadata" : $"user metadata key '{path}'";
            if (depth > MaxDepth) throw new InvalidMetadataException($"The {where} nests deeper than {MaxDepth} levels.", path);
            if (!_open.Add(container)) throw new InvalidMetadataException($"The {where} contains itself (a cycle); metadata must be a tree.", path);
        }

        private JsonNode? Node(object? value, string path, int depth)
        {
            value = unwrap(value);
            switch (value)
            {
                case IDictionary d: return Object(d, path, depth);
                case IEnumerable list and not string:
                    Enter(list, path, depth);
                    var array = new JsonArray();
                    var i = 0;
                    foreach (var item in list) array.Add(Node(item, $"{path}[{i++}]", depth + 1));
                    _open.Remove(list);
                    return array;
                default:
                    return Scalar(value, path);
            }
        }
    }

    private static JsonNode? Scalar(object? value, string path)
    {
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case char c: return JsonValue.Create(c.ToString());
            case DateTime dt:
                return JsonValue.Create((dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc)).ToString("o", CultureInfo.InvariantCulture));
            case DateTimeOffset dto: return JsonValue.Create(dto.ToString("o", CultureInfo.InvariantCulture));
            case Guid g: return JsonValue.Create(g.ToString());
            case Enum e: return JsonValue.Create(e.ToString());
            case sbyte or byte or short or ushort or int or uint or long: return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong u: return JsonValue.Create(u);
            case float or double or decimal:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(number)) throw new InvalidMetadataException($"User metadata key '{path}' is {number}; JSON has no such number.", path);
                return JsonValue.Create(number);
            default:
                throw new InvalidMetadataException(
                    $"User metadata key '{path}' holds a {value.GetType().FullName}, which is not data; store text, numbers, booleans, dates, lists or hashtables (for example its name or path).", path);
        }
    }
}

/// <summary>
/// A metadata dictionary (case-insensitive keys) whose text form is its JSON, so <c>Export-Csv</c>, string
/// expansion and logs show the content instead of "System.Collections.Hashtable".
/// </summary>
public sealed class MetadataTable(string json) : Hashtable(StringComparer.OrdinalIgnoreCase)
{
    public override string ToString() => json;
}
