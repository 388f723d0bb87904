using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Segments.LabelFiles;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Writes segment rows (Get-Segment output, or -Set) as label files: into a folder, one per recording
/// ({SourceBaseName}.Table.1.selections.txt for Raven, {SourceBaseName}.txt for Audacity, with the id in front when
/// two recordings' sources share a name); or, for Raven and CSV, to one file: one table. With -Clip, each row's audio
/// is exported into the folder as a clip and segments.csv beside them names each clip's file and labels.
/// </summary>
[Cmdlet(VerbsData.Export, "Segment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSegmentCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Destination { get; set; } = "";

    [Parameter]
    public LabelFileFormat Format { get; set; } = LabelFileFormat.Raven;

    /// <summary>The rows of this set, instead of rows from the pipeline.</summary>
    [Parameter]
    public string? Set { get; set; }

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>For Audacity: the label column whose text each label gets; default the first text label.</summary>
    [Parameter]
    public string? LabelColumn { get; set; }

    /// <summary>Export each row's audio as a clip into the destination folder, with segments.csv beside them.</summary>
    [Parameter]
    public SwitchParameter Clip { get; set; }

    /// <summary>The clips' format (an ffmpeg muxer or extension); default wav.</summary>
    [Parameter]
    public string ClipFormat { get; set; } = "wav";

    /// <summary>Replace existing files.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private readonly List<Segment> _rows = [];

    protected override void ProcessRecord()
    {
        if (InputObject?.BaseObject is Segment segment) _rows.Add(segment);
        else if (InputObject is not null)
            WriteError(new ErrorRecord(new PSArgumentException("Export-Segment takes rows of Get-Segment (or -Set)."), "NotASegment", ErrorCategory.InvalidType, InputObject));
    }

    protected override void EndProcessing()
    {
        var archive = RequireArchive();
        try
        {
            if (Set is not null) _rows.AddRange(Run(ct => archive.GetSegmentsAsync(Set, checkPins: true, ct)));
            if (_rows.Count == 0) return;
            var recordings = _rows.Select(r => r.Id).Distinct().ToDictionary(id => id, id => Run(ct => archive.GetRecordingAsync(id, ct, refresh: true)));
            var names = recordings.ToDictionary(p => p.Key, p => p.Value.Metadata.Source.FileName ?? $"recording-{p.Key}.wav");
            var target = GetUnresolvedProviderPathFromPSPath(Destination);
            var folder = Directory.Exists(target) || Destination.EndsWith('/') || Destination.EndsWith('\\') || !System.IO.Path.HasExtension(target);
            var format = Clip ? LabelFileFormat.Csv : Format;
            if (!folder)
            {
                if (Clip || format == LabelFileFormat.Audacity) throw new PSArgumentException("Clips and Audacity label tracks go into a folder; give a folder as -Destination.");
                Write(target, Table(format, _rows, recordings, names));
                return;
            }
            Directory.CreateDirectory(target);
            if (format == LabelFileFormat.Csv)
            {
                var clips = Clip ? ExportClips(target, recordings, names) : null;
                Write(System.IO.Path.Combine(target, "segments.csv"), LabelFileWriter.Csv(_rows, names, clips));
                return;
            }
            var shared = names.Values.GroupBy(n => System.IO.Path.GetFileNameWithoutExtension(n), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var group in _rows.GroupBy(r => r.Id))
            {
                var stem = System.IO.Path.GetFileNameWithoutExtension(names[group.Key]);
                if (shared.Contains(stem)) stem = $"{group.Key}_{stem}";
                var rows = group.ToList();
                var text = format == LabelFileFormat.Raven
                    ? Table(format, rows, recordings, names)
                    : LabelFileWriter.Audacity(rows, LabelColumn ?? rows.SelectMany(r => r.Labels).FirstOrDefault(l => l.Value is string).Key);
                Write(System.IO.Path.Combine(target, stem + (format == LabelFileFormat.Raven ? ".Table.1.selections.txt" : ".txt")), text);
            }
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e) || e is PSArgumentException)
        {
            ThrowTerminatingError(e is PSArgumentException a ? new ErrorRecord(a, "InvalidDestination", ErrorCategory.InvalidArgument, Destination) : ErrorRecords.From(e, Destination));
        }
    }

    private static string Table(LabelFileFormat format, IReadOnlyList<Segment> rows, Dictionary<long, Recording> recordings, Dictionary<long, string> names) =>
        format == LabelFileFormat.Csv ? LabelFileWriter.Csv(rows, names)
        : LabelFileWriter.Raven(rows, rows.Select(r => r.Id).Distinct().ToDictionary(id => id, id => (names[id], recordings[id].SampleCount / (double)recordings[id].SampleRate)));

    /// <summary>Each row's audio as a clip file in <paramref name="folder"/>, named {SegmentId}_{SourceBaseName}_{Start}-{End}; the names by segment id.</summary>
    private Dictionary<long, string> ExportClips(string folder, Dictionary<long, Recording> recordings, Dictionary<long, string> names)
    {
        var files = new Dictionary<long, string>();
        foreach (var row in _rows)
        {
            var name = $"{row.SegmentId}_{System.IO.Path.GetFileNameWithoutExtension(names[row.Id])}_{row.Start}-{row.Start + row.Count}.{Export.ExportFileName.ExtensionFor(ClipFormat)}";
            var path = System.IO.Path.Combine(folder, name);
            if (File.Exists(path) && !Force) throw new ExportTargetExistsException(path);
            if (!ShouldProcess(path, $"Export segment {row.SegmentId} of recording {row.Id}")) continue;
            var request = new Export.ExportRequest { Start = row.Start, Count = row.Count, Channels = row.Channel is { } c ? [c] : null, Format = ClipFormat, Overwrite = true };
            Run(ct => Export.RecordingExporter.ExportAsync(recordings[row.Id], path, request, null, ct));
            files[row.SegmentId] = name;
            WriteObject(new FileInfo(path));
        }
        return files;
    }

    private void Write(string path, string text)
    {
        if (File.Exists(path) && !Force) throw new ExportTargetExistsException(path);
        if (!ShouldProcess(path, "Write label file")) return;
        File.WriteAllText(path, text);
        WriteObject(new FileInfo(path));
    }
}
