using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Base of the cmdlets that store piped rows (New-SegmentSet, Add-Segment): every row is read first, and the rows
/// are stored together at the end, or not at all when any row is bad (a terminating InvalidSegment error naming it).
/// </summary>
public abstract class SegmentInputCmdlet : ArchiveCmdlet
{
    /// <summary>Rows: objects with Id and Start/Count or StartTime/Duration (or EndTime), optional Channel, LowFrequency, HighFrequency, and labels.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The columns to keep as labels; default: every column that is not the span, the channel or the band.</summary>
    [Parameter]
    public string[]? Label { get; set; }

    private readonly List<SegmentInput> _rows = [];

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        var archive = RequireArchive();
        var origin = InputObject.Properties["Origin"]?.Value as string ?? $"input row {_rows.Count + 1}";
        try
        {
            if (InputObject.Properties["Archive"]?.Value is AudioArchive other && other.Location != archive.Location)
                throw new InvalidSegmentException($"the row is about a recording of archive {other.Location}, not of {archive.Location}.", origin);
            _rows.Add(SegmentRows.FromObject(InputObject, origin, Label));
        }
        catch (InvalidSegmentException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, InputObject));
        }
    }

    protected override void EndProcessing()
    {
        var archive = RequireArchive();
        var rows = SegmentRows.NumbersFromText(_rows);
        try
        {
            if (Store(archive, rows) is { } info) WriteChange(archive, info);
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            ThrowTerminatingError(ErrorRecords.From(e, Target));
        }
        FlushChanges();
    }

    /// <summary>What the rows go into, for errors.</summary>
    protected abstract string Target { get; }

    /// <summary>Stores the rows (after ShouldProcess); null when nothing was stored.</summary>
    protected abstract SegmentSetInfo? Store(AudioArchive archive, List<SegmentInput> rows);
}
