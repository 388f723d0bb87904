using System.Globalization;
using System.Management.Automation;
using ZarrAudio.Analysis;
using ZarrAudio.Analysis.Pictures;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Draws spectrograms as PNG pictures: a recording, a range, or each row piped in (label rows, segment rows,
/// detections), with time and frequency axes, a dB colour bar and a title; a row's span (and band) is drawn as a
/// labelled box within -Context seconds of audio around it. With -Grid, all rows go into contact sheets.
/// </summary>
[Cmdlet(VerbsData.Export, "Spectrogram", DefaultParameterSetName = SampleSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSpectrogramCommand : SpectrogramCmdlet
{
    /// <summary>A .png file, or a folder for one picture per row (named by -FileName).</summary>
    [Parameter]
    public string Destination { get; set; } = ".";

    /// <summary>File names in a folder: {Id}, {SourceBaseName}, {Start}, {End}, a row's columns ({species}); default like Export-Recording's.</summary>
    [Parameter]
    public string? FileName { get; set; }

    [Parameter]
    [ValidateRange(64, 16384)]
    public int Width { get; set; } = 1200;

    [Parameter]
    [ValidateRange(48, 16384)]
    public int Height { get; set; } = 500;

    /// <summary>Decibels shown below the loudest cell (default 80).</summary>
    [Parameter]
    [ValidateRange(1.0, 300.0)]
    public double DynamicRange { get; set; } = 80;

    [Parameter]
    [ArgumentCompleter(typeof(ColormapCompleter))]
    public string ColorMap { get; set; } = "Viridis";

    /// <summary>Seconds of audio shown before and after a row's span (default 0.25; 0 for whole recordings).</summary>
    [Parameter]
    [ValidateRange(0.0, 3600.0)]
    public double Context { get; set; } = 0.25;

    /// <summary>Contact sheets: columns x rows of small pictures (e.g. 6x4), all rows piped in.</summary>
    [Parameter]
    [ValidatePattern(@"^\d{1,2}x\d{1,2}$")]
    public string? Grid { get; set; }

    /// <summary>Replace existing pictures.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private readonly List<(Spectrogram Spectrogram, PictureOptions Options)> _tiles = [];

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var (id, range, channels, fingerprint, row) = (RecordingId, Range, Channel, Fingerprint, RowColumns());
        // A piped row (a label, a segment, a detection) is drawn in its context with its box; a recording or a range given as parameters as it is.
        var isRow = InputObject?.BaseObject is not (RecordingInfo or ValueType or string or null);
        ForItem(id, () =>
        {
            var (spectrogram, picture, recording, start, count) = Run(async ct =>
            {
                var recording = await RecordingAsync(archive, id, fingerprint, ct).ConfigureAwait(false);
                var (start, count) = recording.Resolve(range);
                var context = isRow ? Reading.RangeRequest.ToSample(Context, recording.SampleRate) : 0;
                var (from, to) = (Math.Max(0, start - context), Math.Min(recording.SampleCount, start + count + context));
                var s = await SpectrogramReader.ReadAsync(recording, from, to - from, channels, Options(SpectrogramUnit.Power), ct).ConfigureAwait(false);
                return (s, Picture(recording, from, to, start, count, row, isRow), recording, start, count);
            });
            if (Grid is not null)
            {
                _tiles.Add((spectrogram, picture));
                return;
            }
            var path = PathFor(recording, start, count, row);
            if (!ShouldProcess(path, "Draw a spectrogram")) return;
            if (File.Exists(path) && !Force) throw new ExportTargetExistsException(path);
            SpectrogramPicture.Save(spectrogram, picture, path);
            WriteObject(new FileInfo(path));
        });
    }

    protected override void EndProcessing()
    {
        if (Grid is null || _tiles.Count == 0) return;
        var parts = Grid.Split('x');
        var (columns, rows) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        var file = GetUnresolvedProviderPathFromPSPath(Destination);
        if (Directory.Exists(file)) file = System.IO.Path.Combine(file, "spectrograms.png");
        var perSheet = Math.Max(1, columns * rows);
        for (var sheet = 0; sheet * perSheet < _tiles.Count; sheet++)
        {
            var path = sheet == 0 ? file : System.IO.Path.ChangeExtension(file, null) + $"-{sheet + 1}" + System.IO.Path.GetExtension(file);
            if (!ShouldProcess(path, "Draw a contact sheet")) continue;
            ForItem(path, () =>
            {
                if (File.Exists(path) && !Force) throw new ExportTargetExistsException(path);
                var tiles = _tiles.Skip(sheet * perSheet).Take(perSheet).ToList();
                SpectrogramPicture.SaveGrid(tiles, columns, path, Math.Max(64, Width / columns), Math.Max(48, Height / rows));
                WriteObject(new FileInfo(path));
            });
        }
    }

    private PictureOptions Picture(Recording recording, long from, long to, long start, long count, IReadOnlyList<KeyValuePair<string, object?>> row, bool isRow)
    {
        var rate = (double)recording.SampleRate;
        var label = string.Join(" ", row.Where(c => c.Value is string or double or int or long && SegmentRows.IsLabel(c.Key) && c.Key is not ("Date" or "WindowStart" or "WindowEnd"))
            .Select(c => Convert.ToString(c.Value, CultureInfo.InvariantCulture)));
        // The band: a column of a label row, or a property of a segment row (Get-Segment).
        double? Band(string name) => (row.FirstOrDefault(c => c.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? InputObject?.Properties[name]?.Value) is { } v
            && double.TryParse(Convert.ToString(v is PSObject p ? p.BaseObject : v, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var hz) ? hz : null;
        var boxes = isRow ? new[] { new PictureBox(start / rate, (start + count) / rate, Band("LowFrequency"), Band("HighFrequency"), label) } : [];
        var source = recording.Metadata.Source?.FileName is { Length: > 0 } name ? System.IO.Path.GetFileName(name) : $"recording {recording.Id}";
        return new PictureOptions
        {
            Width = Width, Height = Height, DynamicRange = DynamicRange, ColorMap = ColorMap, Boxes = boxes, StartSeconds = from / rate,
            Title = $"{recording.Id}: {source}, {(from / rate).ToString("0.###", CultureInfo.InvariantCulture)}–{(to / rate).ToString("0.###", CultureInfo.InvariantCulture)} s",
            StartTime = Metadata.RecordingTime.Local(recording.Technical)?.AddSeconds(from / rate),
        };
    }

    private string PathFor(Recording recording, long start, long count, IReadOnlyList<KeyValuePair<string, object?>> row)
    {
        var destination = GetUnresolvedProviderPathFromPSPath(Destination);
        var isFolder = Directory.Exists(destination) || Destination.EndsWith('/') || Destination.EndsWith('\\') || !destination.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
        if (!isFolder) return destination;
        Directory.CreateDirectory(destination);
        return System.IO.Path.Combine(destination, Export.ExportFileName.For(recording, start, count, "png", FileName, row.ToDictionary(c => c.Key, c => c.Value, StringComparer.OrdinalIgnoreCase)));
    }
}

/// <summary>Completes -ColorMap with ScottPlot's colour maps.</summary>
public sealed class ColormapCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        SpectrogramPicture.ColormapNames.Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase)).Select(n => new CompletionResult(n));
}
