using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments.LabelFiles;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Reads label files (Raven and BirdNET selection tables, Audacity label tracks, BirdNET CSV) as segment rows of this
/// archive's recordings, for New-SegmentSet, Add-Segment, Read-Samples or Export-Recording. Each row is matched to
/// its recording (-Id, or the audio file it names); rows that match nothing are one error per file, never dropped.
/// </summary>
[Cmdlet(VerbsData.Import, "Segment", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class ImportSegmentCommand : ArchiveCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The files' format; default: told by each file's first line.</summary>
    [Parameter]
    public LabelFileFormat? Format { get; set; }

    /// <summary>The recording every row is about, whatever file the rows name.</summary>
    [Parameter]
    public long? Id { get; set; }

    private LabelFileMatcher? _matcher;

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var input in literal ? LiteralPath : Path)
        {
            IReadOnlyList<string> files;
            try { files = PathResolver.Resolve(this, input, literal); }
            catch (ItemNotFoundException e) { WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, input)); continue; }
            foreach (var file in files) ForItem(file, () => ImportFile(archive, file));
        }
    }

    private void ImportFile(AudioArchive archive, string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"Cannot find the label file '{file}'.", file);
        var rows = LabelFileReader.Read(file, Format);
        _matcher ??= new LabelFileMatcher(Id is null ? Run(ct => archive.GetRecordingsAsync(ct)) : []);
        var (matched, unmatched) = _matcher.Match(rows, Id);
        WriteVerbose($"{file}: {rows.Count} row(s), {matched.Count} matched to recordings, {unmatched.Count} not.");
        foreach (var row in matched)
        {
            var item = new PSObject();
            item.Properties.Add(new PSNoteProperty("Id", row.Id));
            item.Properties.Add(new PSNoteProperty("StartTime", row.StartTime));
            item.Properties.Add(new PSNoteProperty("Duration", row.Duration));
            item.Properties.Add(new PSNoteProperty("Channel", row.Channel));
            item.Properties.Add(new PSNoteProperty("LowFrequency", row.LowFrequency));
            item.Properties.Add(new PSNoteProperty("HighFrequency", row.HighFrequency));
            foreach (var (name, value) in row.Labels)
                if (item.Properties[name] is null) item.Properties.Add(new PSNoteProperty(name, value));
            item.Properties.Add(new PSNoteProperty("Origin", row.Origin));
            WriteObject(item);
        }
        if (unmatched.Count > 0)
        {
            var lines = string.Join("; ", unmatched.GroupBy(u => u.Why).Select(g => $"line {string.Join(", ", g.Take(10).Select(u => u.Row.Line))}{(g.Count() > 10 ? " …" : "")}: {g.Key}"));
            WriteError(new ErrorRecord(new ItemNotFoundException($"{file}: {unmatched.Count} row(s) match no recording of {archive.Location} ({lines})."),
                "LabelRowNotMatched", ErrorCategory.ObjectNotFound, file));
        }
    }
}
