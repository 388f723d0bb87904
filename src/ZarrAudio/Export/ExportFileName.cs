using System.Globalization;
using System.Text.RegularExpressions;
using ZarrAudio.Archive;

namespace ZarrAudio.Export;

/// <summary>
/// Names exported files from a template. Placeholders: {Id}, {SourceBaseName} (the source file's name without its
/// extension; "recording-{id}" for arrays), {Start}, {End} (sample indexes, end exclusive), {Count}, {SampleRate},
/// {User.key} (a user metadata value), and any column of the row piped in ({label}). The extension comes from the format. The default templates include the id,
/// so recordings whose sources share a name (field recorders reuse 20240531_223911.WAV) never collide.
/// </summary>
public static partial class ExportFileName
{
    public const string WholeTemplate = "{Id}_{SourceBaseName}";
    public const string RangeTemplate = "{Id}_{SourceBaseName}_{Start}-{End}";

    public static string For(Recording recording, long start, long count, string format, string? template = null, IReadOnlyDictionary<string, object?>? columns = null)
    {
        var whole = start == 0 && count == recording.SampleCount;
        template ??= whole ? WholeTemplate : RangeTemplate;
        var name = Placeholder().Replace(template, m => Value(recording, start, count, m.Groups[1].Value, columns));
        foreach (var invalid in Path.GetInvalidFileNameChars().Append('\\')) name = name.Replace(invalid, '_');
        if (name.Trim('.', ' ').Length == 0) throw new ArgumentException($"The file-name template '{template}' gives an empty name.");
        return name + "." + ExtensionFor(format);
    }

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_.\-() ]*)\}")]
    private static partial Regex Placeholder();

    private static string Value(Recording recording, long start, long count, string name, IReadOnlyDictionary<string, object?>? columns)
    {
        var source = recording.Metadata.Source?.FileName;
        var invariant = CultureInfo.InvariantCulture;
        return name switch
        {
            "Id" => recording.Id.ToString(invariant),
            "SourceBaseName" => string.IsNullOrWhiteSpace(source) ? $"recording-{recording.Id}" : Path.GetFileNameWithoutExtension(source),
            "Start" => start.ToString(invariant),
            "End" => (start + count).ToString(invariant),
            "Count" => count.ToString(invariant),
            "SampleRate" => recording.SampleRate.ToString(invariant),
            _ when name.StartsWith("User.", StringComparison.Ordinal) =>
                recording.Metadata.User.TryGetPropertyValue(name[5..], out var value) && value is not null
                    ? (value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) ? text : value.ToJsonString())
                    : throw new ArgumentException($"Recording {recording.Id} has no user metadata '{name[5..]}' for the file-name template."),
            _ when columns is not null && columns.TryGetValue(name, out var column) =>
                column is null ? "" : Convert.ToString(column is IFormattable f ? f.ToString(null, invariant) : column, invariant) ?? "",
            _ => throw new ArgumentException($"Unknown placeholder {{{name}}} in the file-name template; use {{Id}}, {{SourceBaseName}}, {{Start}}, {{End}}, {{Count}}, {{SampleRate}}, {{User.key}} or a column of the piped row{(columns is { Count: > 0 } ? $" ({string.Join(", ", columns.Keys)})" : "")}."),
        };
    }

    /// <summary>The usual file extension for an ffmpeg muxer name (matroska → mka); other names are their own extension.</summary>
    public static string ExtensionFor(string format) => format.ToLowerInvariant() switch
    {
        "matroska" => "mka",
        "mp4" or "ipod" => "m4a",
        "adts" => "aac",
        "wv" or "wavpack" => "wv",
        "s16le" or "s24le" or "s32le" or "f32le" => "raw",
        var other => other,
    };
}
