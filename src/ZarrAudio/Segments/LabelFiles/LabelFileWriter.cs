using System.Globalization;
using System.Text;

namespace ZarrAudio.Segments.LabelFiles;

/// <summary>
/// Writes segment rows as Raven selection tables or Audacity label tracks. Times are seconds with every digit a double
/// holds, so reading the file back gives the same samples. A row without a band is written with Raven's full band
/// (0 to half the rate), as Raven itself writes a selection made on the waveform.
/// </summary>
public static class LabelFileWriter
{
    private static string S(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// One Raven table for rows of one or more recordings (<paramref name="audio"/>: each recording's source file name
    /// and length in seconds, in table order). Begin Time runs on across files as in Raven's multi-file tables; Begin
    /// File and File Offset (s) say where each selection is within its own file.
    /// </summary>
    public static string Raven(IReadOnlyList<Segment> rows, IReadOnlyDictionary<long, (string File, double Seconds)> audio)
    {
        var labels = rows.SelectMany(r => r.Labels.Keys).Distinct(StringComparer.Ordinal).ToList();
        var offsets = new Dictionary<long, double>();
        var at = 0.0;
        foreach (var id in rows.Select(r => r.Id).Distinct())
        {
            offsets[id] = at;
            at += audio[id].Seconds;
        }
        var b = new StringBuilder();
        b.AppendJoin('\t', ["Selection", "View", "Channel", "Begin Time (s)", "End Time (s)", "Low Freq (Hz)", "High Freq (Hz)", "Begin File", "File Offset (s)", .. labels.Select(Clean)]).Append('\n');
        var selection = 0;
        foreach (var r in rows)
        {
            var start = offsets[r.Id] + r.StartSeconds;
            b.AppendJoin('\t', [
                (++selection).ToString(CultureInfo.InvariantCulture), "Spectrogram 1", ((r.Channel ?? 0) + 1).ToString(CultureInfo.InvariantCulture),
                S(start), S(start + r.DurationSeconds), S(r.LowFrequency ?? 0), S(r.HighFrequency ?? r.SampleRate / 2.0),
                Clean(audio[r.Id].File), S(r.StartSeconds), .. labels.Select(l => Text(r.Labels.GetValueOrDefault(l)))]).Append('\n');
        }
        return b.ToString();
    }

    /// <summary>An Audacity label track: one line per row with the text of <paramref name="labelColumn"/>, and its band when it has one.</summary>
    public static string Audacity(IReadOnlyList<Segment> rows, string? labelColumn)
    {
        var b = new StringBuilder();
        foreach (var r in rows)
        {
            b.Append(S(r.StartSeconds)).Append('\t').Append(S(r.EndSeconds)).Append('\t')
             .Append(labelColumn is null ? "" : Clean(Text(r.Labels.GetValueOrDefault(labelColumn)))).Append('\n');
            if (r.LowFrequency is not null || r.HighFrequency is not null)
                b.Append("\\\t").Append(S(r.LowFrequency ?? -1)).Append('\t').Append(S(r.HighFrequency ?? -1)).Append('\n');
        }
        return b.ToString();
    }

    /// <summary>
    /// A plain CSV (RFC 4180, by CsvHelper) of the rows: segment id, recording id and source file, the span in samples and
    /// seconds, channel, band, the clip file when clips were written (<paramref name="clips"/>, by segment id), and every label.
    /// </summary>
    public static string Csv(IReadOnlyList<Segment> rows, IReadOnlyDictionary<long, string> sources, IReadOnlyDictionary<long, string>? clips = null)
    {
        var labels = rows.SelectMany(r => r.Labels.Keys).Distinct(StringComparer.Ordinal).ToList();
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvHelper.CsvWriter(text, CultureInfo.InvariantCulture))
        {
            string[] header = ["SegmentId", "Id", "SourceName", "Start", "Count", "SampleRate", "StartTime", "Duration", "Channel", "LowFrequency", "HighFrequency"];
            foreach (var h in clips is null ? header : [.. header, "File"]) csv.WriteField(h);
            foreach (var l in labels) csv.WriteField(l);
            csv.NextRecord();
            foreach (var r in rows)
            {
                foreach (var field in new object?[] { r.SegmentId, r.Id, sources.GetValueOrDefault(r.Id), r.Start, r.Count, r.SampleRate, S(r.StartSeconds), S(r.DurationSeconds), r.Channel,
                             r.LowFrequency is { } low ? S(low) : null, r.HighFrequency is { } high ? S(high) : null })
                    csv.WriteField(Convert.ToString(field, CultureInfo.InvariantCulture) ?? "");
                if (clips is not null) csv.WriteField(clips.GetValueOrDefault(r.SegmentId) ?? "");
                foreach (var l in labels) csv.WriteField(r.Labels.GetValueOrDefault(l) is double d ? S(d) : Convert.ToString(r.Labels.GetValueOrDefault(l), CultureInfo.InvariantCulture) ?? "");
                csv.NextRecord();
            }
        }
        return text.ToString();
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double d => S(d),
        var other => Clean(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>Tabs and line breaks would break the table: they become spaces.</summary>
    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
