using System.Globalization;
using System.Text.RegularExpressions;

namespace ZarrAudio.Segments;

/// <summary>
/// One end of a daily window: a clock time ("04:30", "21:15:30") or a sun event ("sunrise", "civil-dusk"), each
/// optionally shifted ("sunrise-30m", "sunset+1h30m", "04:30+15m").
/// </summary>
public sealed partial record WindowEdge(SunEvent? Event, TimeOnly? Clock, TimeSpan Shift)
{
    [GeneratedRegex(@"^\s*(?<base>\d{1,2}:\d{2}(:\d{2})?|[a-z-]+)\s*(?<shift>[+-]\s*(\d+(\.\d+)?\s*[hms]\s*)+)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*([hms])", RegexOptions.IgnoreCase)]
    private static partial Regex ShiftPart();

    private static readonly Dictionary<string, SunEvent> Events = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sunrise"] = SunEvent.Sunrise, ["sunset"] = SunEvent.Sunset, ["noon"] = SunEvent.SolarNoon, ["solar-noon"] = SunEvent.SolarNoon,
        ["civil-dawn"] = SunEvent.CivilDawn, ["civil-dusk"] = SunEvent.CivilDusk, ["nautical-dawn"] = SunEvent.NauticalDawn,
        ["nautical-dusk"] = SunEvent.NauticalDusk, ["astronomical-dawn"] = SunEvent.AstronomicalDawn, ["astronomical-dusk"] = SunEvent.AstronomicalDusk,
    };

    public static WindowEdge Parse(string text)
    {
        var m = Pattern().Match(text);
        if (!m.Success) throw new ArgumentException(Help(text));
        var shift = TimeSpan.Zero;
        if (m.Groups["shift"].Success)
        {
            var sign = m.Groups["shift"].Value.TrimStart()[0] == '-' ? -1 : 1;
            foreach (Match part in ShiftPart().Matches(m.Groups["shift"].Value))
            {
                var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                shift += char.ToLowerInvariant(part.Groups[2].Value[0]) switch { 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromSeconds(n) } * sign;
            }
        }
        var @base = m.Groups["base"].Value;
        if (Events.TryGetValue(@base, out var e)) return new WindowEdge(e, null, shift);
        if (TimeOnly.TryParseExact(@base, ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            return new WindowEdge(null, clock, shift);
        throw new ArgumentException(Help(text));
    }

    private static string Help(string text) =>
        $"'{text}' is not a window edge: give a clock time (04:30) or a sun event ({string.Join(", ", Events.Keys)}), optionally shifted (sunrise-30m, sunset+1h30m).";

    public override string ToString() =>
        (Event is { } e ? Events.First(p => p.Value == e).Key : Clock!.Value.ToString("HH:mm:ss", CultureInfo.InvariantCulture))
        + (Shift == TimeSpan.Zero ? "" : (Shift < TimeSpan.Zero ? "-" : "+") + Shift.Duration().ToString(@"h\hmm\m", CultureInfo.InvariantCulture));
}
