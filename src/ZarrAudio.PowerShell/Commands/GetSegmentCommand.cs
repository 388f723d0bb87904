using System.Management.Automation;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Emits a segment set's rows, labels as properties; they pipe into Read-Samples and Export-Recording. Rows whose
/// recording was removed or replaced are not emitted: one SegmentStale error names them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Segment")]
[OutputType(typeof(Segment))]
public sealed class GetSegmentCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    public string Set { get; set; } = "";

    /// <summary>Only rows of these splits (values of the split column Split-SegmentSet wrote).</summary>
    [Parameter]
    public string[]? Split { get; set; }

    /// <summary>The label column that holds the split; default 'split'.</summary>
    [Parameter]
    public string SplitColumn { get; set; } = "split";

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        ForItem(Set, () =>
        {
            var rows = Run(ct => archive.GetSegmentsAsync(Set, checkPins: false, ct));
            if (Split is not null) rows = SegmentSplit.Only(rows, Split, SplitColumn);
            var stale = Run(ct => archive.FindStaleSegmentsAsync(rows, ct));
            var staleIds = stale.Select(s => s.Row.SegmentId).ToHashSet();
            foreach (var row in rows.Where(r => !staleIds.Contains(r.SegmentId))) WriteObject(SegmentRows.ToObject(row, archive));
            WriteVerbose($"Segment set '{Set}': {rows.Count - stale.Count} row(s) emitted, {stale.Count} stale.");
            SegmentStaleException.ThrowIfAny(Set, stale);
        });
    }
}
