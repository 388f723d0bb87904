using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Selects the audio inside daily windows of wall-clock time (04:30 to 05:30) or of the sun (sunrise-30m to
/// sunrise+90m, civil-dusk to civil-dusk+2h) across recordings: rows (Id, Start, Count, Date, WindowStart, WindowEnd)
/// that pipe into Read-Samples, Export-Recording and New-SegmentSet. Parts of windows no recording covers, and
/// recordings that cannot be placed (no start time, no zone, no place), are reported as warnings (each with -Verbose).
/// </summary>
[Cmdlet(VerbsCommon.Select, "Segment")]
[OutputType(typeof(PSObject))]
public sealed class SelectSegmentCommand : ArchiveCmdlet
{
    /// <summary>Only these recordings (recordings pipe in); default all.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public long[]? Id { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    public string From { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public string To { get; set; } = "";

    [Parameter]
    public DateTime? FirstDate { get; set; }

    [Parameter]
    public DateTime? LastDate { get; set; }

    [Parameter]
    public string? TimeZone { get; set; }

    [Parameter]
    [ValidateRange(-90.0, 90.0)]
    public double? Latitude { get; set; }

    [Parameter]
    [ValidateRange(-180.0, 180.0)]
    public double? Longitude { get; set; }

    private readonly List<long> _ids = [];
    private bool _all = true;

    protected override void ProcessRecord()
    {
        if (Id is null) return;
        _all = false;
        _ids.AddRange(Id);
    }

    protected override void EndProcessing()
    {
        var archive = RequireArchive();
        ClockWindowRequest request;
        try
        {
            request = new ClockWindowRequest
            {
                From = WindowEdge.Parse(From), To = WindowEdge.Parse(To), TimeZone = TimeZone,
                FirstDate = FirstDate is { } f ? DateOnly.FromDateTime(f) : null, LastDate = LastDate is { } l ? DateOnly.FromDateTime(l) : null,
                Latitude = Latitude, Longitude = Longitude,
            };
            if (TimeZone is not null) Metadata.RecordingTime.Zone(TimeZone);
        }
        catch (ArgumentException e) { ThrowTerminatingError(new ErrorRecord(e, "InvalidWindow", ErrorCategory.InvalidArgument, $"{From} {To}")); return; }
        catch (Metadata.UnknownTimeZoneException e) { ThrowTerminatingError(ErrorRecords.From(e, TimeZone)); return; }
        ForItem(archive.Location, () =>
        {
            var recordings = _all ? Run(ct => archive.GetRecordingsAsync(ct))
                : _ids.Distinct().Select(id => Run(ct => archive.GetRecordingAsync(id, ct))).ToList();
            var selection = ClockWindows.Select(recordings, request);
            foreach (var part in selection.Parts)
            {
                var row = new PSObject();
                row.Properties.Add(new PSNoteProperty("Id", part.Id));
                row.Properties.Add(new PSNoteProperty("Start", part.Start));
                row.Properties.Add(new PSNoteProperty("Count", part.Count));
                row.Properties.Add(new PSNoteProperty("Date", part.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                row.Properties.Add(new PSNoteProperty("WindowStart", part.WindowStart));
                row.Properties.Add(new PSNoteProperty("WindowEnd", part.WindowEnd));
                row.Properties.Add(new PSNoteProperty("Archive", archive));
                WriteObject(row);
            }
            foreach (var gap in selection.Gaps)
                WriteVerbose(gap.From == default ? $"{gap.Site} {gap.Date:yyyy-MM-dd}: no window: {gap.Why}." : $"{gap.Site} {gap.Date:yyyy-MM-dd}: {gap.From:HH:mm:ss}–{gap.To:HH:mm:ss zzz} not covered ({gap.Why}).");
            if (selection.Gaps.Count > 0)
            {
                var seconds = selection.Gaps.Where(g => g.From != default).Sum(g => (g.To - g.From).TotalSeconds);
                var noWindow = selection.Gaps.Count(g => g.From == default);
                var uncovered = selection.Gaps.Count - noWindow;
                var said = new List<string>();
                if (uncovered > 0) said.Add($"{uncovered} part(s) of windows ({seconds:0} s) are covered by no recording");
                if (noWindow > 0) said.Add($"on {noWindow} day(s) the sun opens no window");
                WriteWarning($"{string.Join(", and ", said)}; -Verbose lists them.");
            }
            foreach (var (id, why) in selection.Skipped) WriteWarning($"Recording {id} is not in the selection: {why}.");
            WriteVerbose($"{selection.Parts.Count} part(s) of {selection.Parts.Select(p => p.Id).Distinct().Count()} recording(s) in {From} to {To}.");
        });
    }
}
