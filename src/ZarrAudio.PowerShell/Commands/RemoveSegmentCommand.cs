using System.Management.Automation;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>Removes rows from segment sets by segment id; rows from Get-Segment pipe in. Each set changes once, at the end.</summary>
[Cmdlet(VerbsCommon.Remove, "Segment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Segments.SegmentSetInfo))]
public sealed class RemoveSegmentCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Set { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public long[] SegmentId { get; set; } = [];

    /// <summary>Emit each changed set's description.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly Dictionary<string, SortedSet<long>> _bySet = new(StringComparer.Ordinal);

    protected override void ProcessRecord()
    {
        (_bySet.TryGetValue(Set, out var ids) ? ids : _bySet[Set] = []).UnionWith(SegmentId);
    }

    protected override void EndProcessing()
    {
        var archive = RequireArchive();
        foreach (var (set, ids) in _bySet)
        {
            if (!ShouldProcess($"Segment set '{set}' of {archive.Location}", $"Remove {ids.Count} row(s): segment {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? " …" : "")}")) continue;
            ForItem(set, () =>
            {
                var info = Run(ct => archive.RemoveSegmentsAsync(set, ids, ct));
                WriteVerbose($"Removed {ids.Count} row(s) from segment set '{set}'; {info.Rows} remain.");
                WriteChange(archive, PassThru ? info : null);
            });
        }
        FlushChanges();
    }
}
