using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ZarrAudio.Metadata;

/// <summary>Fills recording start, location and device from whatever the file metadata holds, best source first.</summary>
public static partial class StructuredFields
{
    public static void Fill(TechnicalMetadata technical, JsonObject file)
    {
        var guano = file["guano"] as JsonObject;
        var bext = file["bext"] as JsonObject;
        var tags = file["ffprobe"]?["format"]?["tags"] as JsonObject;
        var comment = Str(file["riff_info"]?["ICMT"]) ?? Tag(tags, "comment");

        // AudioMoth: "Recorded at 10:25:00 04/04/2020 (UTC) by AudioMoth 24526B065D325963 ..."
        var moth = comment is null ? null : AudioMothComment().Match(comment);
        if (moth is { Success: true })
        {
            var local = DateTime.ParseExact(moth.Groups["time"].Value + " " + moth.Groups["date"].Value, "HH:mm:ss dd/MM/yyyy", CultureInfo.InvariantCulture);
            var offset = moth.Groups["offset"].Success ? TimeSpan.FromHours(double.Parse(moth.Groups["offset"].Value, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
            file["audiomoth"] = new JsonObject
            {
                ["recorded_at_utc"] = DateTime.SpecifyKind(local - offset, DateTimeKind.Utc).ToString("o"),
                ["device_id"] = moth.Groups["device"].Value,
                ["comment"] = comment,
            };
            RecordingTime.FromSource(technical, local, offset);
            technical.Device ??= "AudioMoth " + moth.Groups["device"].Value;
        }

        if (guano is not null)
        {
            if (Str(guano["Timestamp"]) is { } ts && DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto))
                RecordingTime.FromSource(technical, dto.DateTime, HasOffset(ts) ? dto.Offset : null);
            if (Str(guano["Loc Position"]) is { } pos)
            {
                var parts = pos.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var lat) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var lon))
                    (technical.Latitude, technical.Longitude) = (lat, lon);
            }
            var device = string.Join(' ', new[] { Str(guano["Make"]), Str(guano["Model"]), Str(guano["Serial"]) }.Where(s => !string.IsNullOrWhiteSpace(s)));
            if (device.Length > 0) technical.Device ??= device;
        }

        if (bext is not null)
        {
            var date = Str(bext["origination_date"]);
            var time = Str(bext["origination_time"]);
            if (date is { Length: 10 } && DateTime.TryParseExact(date.Replace(':', '-').Replace('/', '-') + " " + (time ?? "00:00:00").Replace('-', ':'),
                    "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var when))
                RecordingTime.FromSource(technical, when, null);
            if (Str(bext["originator"]) is { Length: > 0 } originator) technical.Device ??= originator;
        }

        if (tags is not null)
        {
            if (Tag(tags, "creation_time") is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) && created.Contains('-'))
                RecordingTime.FromInstant(technical, c.UtcDateTime);
            if ((Tag(tags, "location") ?? Tag(tags, "com.apple.quicktime.location.ISO6709")) is { } iso && Iso6709().Match(iso) is { Success: true } m)
            {
                technical.Latitude ??= double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                technical.Longitude ??= double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
            technical.Device ??= Tag(tags, "encoded_by") ?? Tag(tags, "com.apple.quicktime.model");
        }
    }

    private static bool HasOffset(string iso) => iso.EndsWith('Z') || OffsetSuffix().IsMatch(iso);
    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Tag(JsonObject? tags, string name)
    {
        if (tags is null) return null;
        foreach (var (key, value) in tags)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return Str(value);
        return null;
    }

    [GeneratedRegex(@"Recorded at (?<time>\d{2}:\d{2}:\d{2}) (?<date>\d{2}/\d{2}/\d{4}) \(UTC(?<offset>[+-]\d+(?:\.\d+)?)?\) by AudioMoth (?<device>[0-9A-Fa-f]+)")]
    private static partial Regex AudioMothComment();

    [GeneratedRegex(@"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)")]
    private static partial Regex Iso6709();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex OffsetSuffix();
}
