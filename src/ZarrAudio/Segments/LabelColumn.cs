using System.Text;
using System.Text.Json.Nodes;

namespace ZarrAudio.Segments;

/// <summary>
/// One label column of a segment set: text (categorical: codes into <see cref="Categories"/>, sorted by name so a
/// set's codes do not depend on row order) or numbers. A column holding any text is text.
/// </summary>
internal sealed record LabelColumn(string Name, string Array, IReadOnlyList<string>? Categories)
{
    public static List<LabelColumn> Plan(IReadOnlyList<Segment> rows)
    {
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var text = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var row in rows)
            foreach (var (name, value) in row.Labels)
            {
                if (seen.Add(name)) order.Add(name);
                if (value is string s) (text.TryGetValue(name, out var set) ? set : text[name] = new SortedSet<string>(StringComparer.Ordinal)).Add(s);
            }
        var arrays = new HashSet<string>(StringComparer.Ordinal);
        var columns = new List<LabelColumn>();
        foreach (var name in order)
        {
            var array = ArrayName(name);
            for (var k = 2; !arrays.Add(array); k++) array = ArrayName(name) + "_" + k;
            // A text column's numbers are kept as their text, so the column stays one type.
            if (text.ContainsKey(name))
            {
                var all = text[name];
                foreach (var row in rows)
                    if (row.Labels.TryGetValue(name, out var v) && v is double d) all.Add(Format(d));
                columns.Add(new LabelColumn(name, array, all.ToList()));
            }
            else columns.Add(new LabelColumn(name, array, null));
        }
        return columns;
    }

    /// <summary>A label's array name: <c>label_</c> and its name in lower-case letters, digits and '_'.</summary>
    internal static string ArrayName(string name)
    {
        var b = new StringBuilder("label_");
        foreach (var c in name.ToLowerInvariant()) b.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '_');
        return b.ToString();
    }

    public static string Format(double d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public int[] Codes(IReadOnlyList<Segment> rows)
    {
        var index = Categories!.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return rows.Select(r => r.Labels.TryGetValue(Name, out var v) && v is not null
            ? index[v is double d ? Format(d) : (string)v] : -1).ToArray();
    }

    public double[] Numbers(IReadOnlyList<Segment> rows) =>
        rows.Select(r => r.Labels.TryGetValue(Name, out var v) && v is double d ? d : double.NaN).ToArray();

    public JsonObject Describe()
    {
        var o = new JsonObject { ["label"] = Name, ["array"] = Array, ["type"] = Categories is null ? "numeric" : "categorical" };
        if (Categories is not null) o["categories"] = new JsonArray(Categories.Select(c => (JsonNode)c).ToArray());
        return o;
    }

    public static LabelColumn FromDescription(JsonObject o) => new(
        o["label"]!.GetValue<string>(), o["array"]!.GetValue<string>(),
        o["type"]?.GetValue<string>() == "categorical" ? o["categories"]!.AsArray().Select(n => n!.GetValue<string>()).ToList() : null);
}
