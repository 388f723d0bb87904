using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace ZarrAudio.Segments.LabelFiles;

/// <summary>
/// Reads Raven selection tables (and BirdNET's, which are Raven tables), Audacity label tracks and BirdNET's CSV into
/// <see cref="LabelFileRow"/>s. Fields are split by CsvHelper; what the columns mean is ours. Every problem names the
/// file and line; nothing is skipped silently.
/// </summary>
public static class LabelFileReader
{
    /// <summary>The format a file's first line shows: a Raven header, BirdNET's CSV header, else Audacity's numbers.</summary>
    public static LabelFileFormat Detect(string path)
    {
        var first = File.ReadLines(path).FirstOrDefault(l => l.Trim().Length > 0)
            ?? throw new LabelFileException(path, 0, "the file is empty: it holds no labels.");
        if (first.Contains('\t') && first.Contains("Begin Time (s)", StringComparison.Ordinal)) return LabelFileFormat.Raven;
        if (first.Contains("Start (s)", StringComparison.Ordinal) && first.Contains("End (s)", StringComparison.Ordinal)) return LabelFileFormat.BirdNetCsv;
        var fields = first.Split('\t');
        if (fields.Length >= 2 && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return LabelFileFormat.Audacity;
        throw new LabelFileException(path, 1, "the first line is neither a Raven selection table's header (Selection, View, Channel, Begin Time (s), …), BirdNET's CSV header (Start (s), End (s), …), nor an Audacity label (start, end, label, tab-separated). Say which with -Format.");
    }

    public static List<LabelFileRow> Read(string path, LabelFileFormat? format = null) => (format ?? Detect(path)) switch
    {
        LabelFileFormat.Raven => ReadTable(path, '\t', RavenColumns),
        LabelFileFormat.BirdNetCsv => ReadTable(path, ',', BirdNetCsvColumns),
        LabelFileFormat.Audacity => AudacityLabels.Read(path),
        _ => throw new LabelFileException(path, 0, "a plain CSV of rows is read with Import-Csv, whose rows pipe into New-SegmentSet as they are."),
    };

    /// <summary>Which header names mean what; every other column is a label.</summary>
    internal sealed record Columns(string Start, string End, string? Channel, string? Low, string? High, string[] AudioFile,
        string? FileOffset, string? Duplicate, string[] NotLabels);

    private static readonly Columns RavenColumns = new("Begin Time (s)", "End Time (s)", "Channel", "Low Freq (Hz)", "High Freq (Hz)",
        ["Begin Path", "Begin File"], "File Offset (s)", "Selection",
        ["Selection", "View", "Channel", "Begin Time (s)", "End Time (s)", "Low Freq (Hz)", "High Freq (Hz)", "Begin Path", "Begin File", "File Offset (s)",
         "Delta Time (s)", "End Path", "End File"]);

    private static readonly Columns BirdNetCsvColumns = new("Start (s)", "End (s)", null, null, null, ["File"], null, null,
        ["Start (s)", "End (s)", "File"]);

    private static List<LabelFileRow> ReadTable(string path, char delimiter, Columns columns)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(), HasHeaderRecord = true, BadDataFound = null, TrimOptions = TrimOptions.Trim,
            // Raven does not quote; a quote inside a tab-separated field is text.
            Mode = delimiter == '\t' ? CsvMode.NoEscape : CsvMode.RFC4180,
        };
        using var reader = new StreamReader(path);
        using var csv = new CsvParser(reader, config);
        if (!csv.Read()) throw new LabelFileException(path, 0, "the file is empty: it holds no header and no labels.");
        var header = csv.Record!;
        int Index(string? name) => name is null ? -1 : Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        foreach (var required in new[] { columns.Start, columns.End })
            if (Index(required) < 0) throw new LabelFileException(path, 1, $"the header has no '{required}' column (it has {string.Join(", ", header.Select(h => $"'{h}'"))}).");
        var audio = columns.AudioFile.Select(Index).FirstOrDefault(i => i >= 0, -1);
        var offset = Index(columns.FileOffset);
        var duplicate = Index(columns.Duplicate);
        var notLabels = columns.NotLabels.Select(Index).Where(i => i >= 0).ToHashSet();
        var rows = new List<LabelFileRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var fields = csv.Record!;
            var line = csv.RawRow;
            if (fields.All(f => f.Length == 0)) continue;
            if (fields.Length != header.Length)
                throw new LabelFileException(path, line, $"the row has {fields.Length} fields; the header has {header.Length}. The file is cut short or not {(delimiter == '\t' ? "tab" : "comma")}-separated.");
            string? Field(int i) => i >= 0 && fields[i].Length > 0 ? fields[i] : null;
            double? Number(string? name)
            {
                var text = Field(Index(name));
                if (text is null) return null;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
                throw new LabelFileException(path, line, $"'{name}' is '{text}', not a number.");
            }
            // Raven writes a selection once per view (Waveform 1, Spectrogram 1): one segment, counted once.
            if (duplicate >= 0 && Field(duplicate) is { } selection && !seen.Add(selection + "\t" + Field(audio))) continue;
            var begin = Number(columns.Start) ?? throw new LabelFileException(path, line, $"'{columns.Start}' is empty.");
            var end = Number(columns.End) ?? throw new LabelFileException(path, line, $"'{columns.End}' is empty.");
            // In a table over several files, times run on across them; the offset is the time within the begin file.
            if (offset >= 0 && Number(columns.FileOffset) is { } within) (begin, end) = (within, within + end - begin);
            var channel = Number(columns.Channel);
            if (channel is { } c && (c < 1 || c != Math.Floor(c))) throw new LabelFileException(path, line, $"'{columns.Channel}' is {c}; Raven counts channels from 1.");
            var labels = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
                if (!notLabels.Contains(i)) labels[header[i]] = Label(fields[i]);
            rows.Add(Check(new LabelFileRow
            {
                File = path, Line = line, AudioFile = Field(audio), Start = begin, End = end,
                Channel = channel is { } ch ? (int)ch - 1 : null,
                LowFrequency = Number(columns.Low), HighFrequency = Number(columns.High), Labels = labels,
            }));
        }
        return rows;
    }

    /// <summary>Numbers stay numbers (a confidence), other text is text, an empty field is no value.</summary>
    internal static object? Label(string text) =>
        text.Length == 0 ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : text;

    /// <summary>What holds for every format: times not negative, an end not before its start.</summary>
    internal static LabelFileRow Check(LabelFileRow row)
    {
        if (row.Start < 0) throw new LabelFileException(row.File, row.Line, $"the start {row.Start.ToString(CultureInfo.InvariantCulture)} s is negative.");
        if (row.End < row.Start)
            throw new LabelFileException(row.File, row.Line, $"the end {row.End.ToString(CultureInfo.InvariantCulture)} s is before the start {row.Start.ToString(CultureInfo.InvariantCulture)} s.");
        if (row.LowFrequency is { } low && row.HighFrequency is { } high && low > high)
            throw new LabelFileException(row.File, row.Line, $"the low frequency {low} Hz is above the high frequency {high} Hz.");
        return row;
    }
}
