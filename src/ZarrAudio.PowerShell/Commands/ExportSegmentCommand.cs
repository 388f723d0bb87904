using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Segments.LabelFiles;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Writes segment rows (Get-Segment output, or -Set) as label files: into a folder, one per recording
/// ({SourceBaseName}.Table.1.selections.txt for Raven, {SourceBaseName}.txt for Audacity, with the id in front when
/// two recordings' sources share a name); or, for Raven, to one file: one multi-file table.
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
            if (!folder)
            {
                if (Format != LabelFileFormat.Raven) throw new PSArgumentException("Only Raven tables hold several recordings in one file; give a folder for Audacity label tracks.");
                var audio = recordings.ToDictionary(p => p.Key, p => (names[p.Key], p.Value.SampleCount / (double)p.Value.SampleRate));
                Write(target, LabelFileWriter.Raven(_rows, audio));
                return;
            }
            Directory.CreateDirectory(target);
            var shared = names.Values.GroupBy(n => System.IO.Path.GetFileNameWithoutExtension(n), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var group in _rows.GroupBy(r => r.Id))
            {
                var stem = System.IO.Path.GetFileNameWithoutExtension(names[group.Key]);
                if (shared.Contains(stem)) stem = $"{group.Key}_{stem}";
                var rows = group.ToList();
                var recording = recordings[group.Key];
                var text = Format == LabelFileFormat.Raven
                    ? LabelFileWriter.Raven(rows, new Dictionary<long, (string, double)> { [group.Key] = (names[group.Key], recording.SampleCount / (double)recording.SampleRate) })
                    : LabelFileWriter.Audacity(rows, LabelColumn ?? rows.SelectMany(r => r.Labels).FirstOrDefault(l => l.Value is string).Key);
                Write(System.IO.Path.Combine(target, stem + (Format == LabelFileFormat.Raven ? ".Table.1.selections.txt" : ".txt")), text);
            }
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e) || e is PSArgumentException)
        {
            ThrowTerminatingError(e is PSArgumentException a ? new ErrorRecord(a, "InvalidDestination", ErrorCategory.InvalidArgument, Destination) : ErrorRecords.From(e, Destination));
        }
    }

    private void Write(string path, string text)
    {
        if (File.Exists(path) && !Force) throw new ExportTargetExistsException(path);
        if (!ShouldProcess(path, "Write label file")) return;
        File.WriteAllText(path, text);
        WriteObject(new FileInfo(path));
    }
}
