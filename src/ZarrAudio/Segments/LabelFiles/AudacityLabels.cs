using System.Globalization;

namespace ZarrAudio.Segments.LabelFiles;

/// <summary>
/// Audacity label tracks (File › Export › Labels): one label per line, "start TAB end TAB text" in seconds (start = end
/// for a point label), optionally followed by a line "\ TAB low TAB high" with its frequency band in Hz (−1: not set).
/// BirdNET-Analyzer writes such tracks with a fourth field, the confidence, kept as a number.
/// </summary>
internal static class AudacityLabels
{
    public static List<LabelFileRow> Read(string path)
    {
        var rows = new List<LabelFileRow>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (text.Trim().Length == 0) continue;
            var fields = text.Split('\t');
            if (fields[0] == "\\")
            {
                if (rows.Count == 0 || rows[^1].Line != number - 1)
                    throw new LabelFileException(path, number, "a frequency line ('\\') that follows no label.");
                if (fields.Length < 3) throw new LabelFileException(path, number, "a frequency line needs a low and a high frequency.");
                double? Band(string f) => Parse(path, number, f, "frequency") is var v && v < 0 ? null : v;
                rows[^1] = LabelFileReader.Check(rows[^1] with { LowFrequency = Band(fields[1]), HighFrequency = Band(fields[2]) });
                continue;
            }
            if (fields.Length < 2) throw new LabelFileException(path, number, "a label line needs a start and an end, tab-separated.");
            var labels = new Dictionary<string, object?>(StringComparer.Ordinal);
            // BirdNET-Analyzer's Audacity output adds a fourth field, the confidence: "start end Scientific_Common confidence".
            if (fields.Length == 4 && LabelFileReader.Label(fields[3]) is double confidence)
                (labels["label"], labels["confidence"]) = (fields[2].Length == 0 ? null : fields[2], confidence);
            else
            {
                var label = fields.Length > 2 ? string.Join('\t', fields[2..]) : "";
                labels["label"] = label.Length == 0 ? null : label;
            }
            rows.Add(LabelFileReader.Check(new LabelFileRow
            {
                File = path, Line = number, Start = Parse(path, number, fields[0], "start"), End = Parse(path, number, fields[1], "end"), Labels = labels,
            }));
        }
        return rows;
    }

    private static double Parse(string path, int line, string text, string what) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
        : throw new LabelFileException(path, line, $"the {what} '{text}' is not a number of seconds.");
}
