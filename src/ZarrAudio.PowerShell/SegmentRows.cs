using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Segment rows between PowerShell and the engine: any object (Import-Csv rows, hashtables, Get-Segment output,
/// recordings) to a <see cref="SegmentInput"/>, and a stored <see cref="Segment"/> to an object whose labels are
/// properties, so Where-Object and Export-Recording -FileName see them.
/// </summary>
internal static class SegmentRows
{
    private static readonly string[] IdNames = ["Id", "RecordingId"];
    private static readonly string[] StartTimeNames = ["StartTime", "StartSeconds"];
    private static readonly string[] DurationNames = ["Duration", "DurationSeconds"];
    private static readonly string[] EndTimeNames = ["EndTime", "EndSeconds"];
    private static readonly string[] LowNames = ["LowFrequency", "LowFreq"];
    private static readonly string[] HighNames = ["HighFrequency", "HighFreq"];

    /// <summary>Columns that are never labels: the span, the pin, what is derived from them, and the archive.</summary>
    private static readonly HashSet<string> NotLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "RecordingId", "Start", "Count", "StartTime", "StartSeconds", "Duration", "DurationSeconds", "EndTime", "EndSeconds",
        "Channel", "LowFrequency", "LowFreq", "HighFrequency", "HighFreq", "Fingerprint", "SegmentId", "Set", "SampleRate",
        "Archive", "Origin", "Labels",
    };

    /// <summary>Whether a row's column is a label (not its span, band, pin or provenance).</summary>
    public static bool IsLabel(string column) => !NotLabels.Contains(column);

    public static SegmentInput FromObject(object row, string origin, string[]? labelNames)
    {
        var pso = PSObject.AsPSObject(row);
        // A recording (Get-RecordingMeta, Import-Recording) is all of it: its Duration is not a span.
        if (pso.BaseObject is RecordingInfo recording) return new SegmentInput { Id = recording.Id, Origin = origin };
        // Every column once into one table: a row is read in one pass, not one property lookup per name asked for.
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var columns = new List<KeyValuePair<string, object?>>();
        if (pso.BaseObject is IDictionary d)
            foreach (DictionaryEntry e in d)
            {
                var name = e.Key.ToString() ?? "";
                var value = e.Value is PSObject p ? p.BaseObject : e.Value;
                values.TryAdd(name, value);
                columns.Add(KeyValuePair.Create(name, (object?)value));
            }
        else
            foreach (var property in pso.Properties)
            {
                var value = property.Value is PSObject p ? p.BaseObject : property.Value;
                values.TryAdd(property.Name, value);
                if (property.MemberType == PSMemberTypes.NoteProperty) columns.Add(KeyValuePair.Create(property.Name, (object?)value));
            }
        object? Get(params string[] names)
        {
            foreach (var name in names)
                if (values.TryGetValue(name, out var value) && value is not null && !(value is string s && s.Length == 0)) return value;
            return null;
        }
        T? As<T>(string what, params string[] names) where T : struct
        {
            var value = Get(names);
            if (value is null) return null;
            if (value is T typed) return typed;
            try { return value is string s && typeof(T) == typeof(double) ? (T)(object)double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : LanguagePrimitives.ConvertTo<T>(value); }
            catch (Exception e) when (e is PSInvalidCastException or FormatException or OverflowException)
            { throw new InvalidSegmentException($"{what} '{value}' is not a {(typeof(T) == typeof(double) ? "number" : "whole number")}.", origin); }
        }
        double? Seconds(string what, params string[] names) => Get(names) is TimeSpan t ? t.TotalSeconds : As<double>(what, names);

        var id = As<long>("Id", IdNames) ?? throw new InvalidSegmentException("the row has no Id (the recording's id).", origin);
        // A row in samples may also show its seconds (StartSeconds, DurationSeconds of a detection or a segment):
        // derived columns, not a second span.
        var inSamples = Get("Start", "Count") is not null;
        var startTime = Seconds("StartTime", inSamples ? ["StartTime"] : StartTimeNames);
        var duration = Seconds("Duration", inSamples ? ["Duration"] : DurationNames);
        if (duration is null && Seconds("EndTime", EndTimeNames) is { } end) duration = end - (startTime ?? 0);
        return new SegmentInput
        {
            Id = id,
            Start = As<long>("Start", "Start"),
            Count = As<long>("Count", "Count"),
            StartTime = startTime,
            Duration = duration,
            Channel = As<int>("Channel", "Channel"),
            LowFrequency = As<double>("LowFrequency", LowNames),
            HighFrequency = As<double>("HighFrequency", HighNames),
            Fingerprint = Get("Fingerprint") as string,
            Labels = Labels(pso.BaseObject as Segment, columns, values, labelNames),
            Origin = origin,
        };
    }

    private static Dictionary<string, object?> Labels(Segment? segment, List<KeyValuePair<string, object?>> columns,
        Dictionary<string, object?> values, string[]? names)
    {
        var labels = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (segment is not null)
            foreach (var (k, v) in segment.Labels) labels[k] = v;
        foreach (var (name, value) in columns)
            if (!NotLabels.Contains(name)) labels[name] = Value(value);
        if (names is null) return labels;
        var chosen = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var key = labels.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
            chosen[key ?? name] = key is not null ? labels[key] : values.TryGetValue(name, out var v) ? Value(v) : null;
        }
        return chosen;
    }

    /// <summary>A label value as the engine keeps it: text, a number, or null.</summary>
    private static object? Value(object? value) => (value is PSObject p ? p.BaseObject : value) switch
    {
        null => null,
        string { Length: 0 } => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IConvertible c and not char => c.ToDouble(CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Label columns whose every value is text that reads as a number (a score from Import-Csv) become numbers, so
    /// they sort and compare as numbers; a column with any other text stays text.
    /// </summary>
    public static List<SegmentInput> NumbersFromText(List<SegmentInput> rows)
    {
        var numeric = rows.SelectMany(r => r.Labels).GroupBy(l => l.Key, StringComparer.Ordinal)
            .Where(g => g.Any(l => l.Value is string) && g.All(l => l.Value is null or double || l.Value is string s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        if (numeric.Count == 0) return rows;
        return rows.Select(r => r with
        {
            Labels = r.Labels.ToDictionary(l => l.Key, l => numeric.Contains(l.Key) && l.Value is string s
                ? double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : l.Value, StringComparer.Ordinal),
        }).ToList();
    }

    /// <summary>A label of the same name as a row's own property (or Archive) stays in Labels only.</summary>
    private static readonly HashSet<string> SegmentProperties =
        new(typeof(Segment).GetProperties().Select(p => p.Name).Append("Archive"), StringComparer.OrdinalIgnoreCase);

    /// <summary>A stored row for the pipeline: the segment, its labels as properties, and its archive.</summary>
    public static PSObject ToObject(Segment segment, AudioArchive archive)
    {
        var output = PSObject.AsPSObject(segment);
        output.Properties.Add(new PSNoteProperty("Archive", archive));
        foreach (var (name, value) in segment.Labels)
            if (!SegmentProperties.Contains(name)) output.Properties.Add(new PSNoteProperty(name, value));
        return output;
    }
}
