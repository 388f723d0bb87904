using System.Management.Automation;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Splits a segment set into parts (train/validation/test) by fractions, reproducibly from -Seed, keeping each group
/// (-GroupBy: recording by default, a label column, or a recording metadata key such as a site) in one part and, with
/// -StratifyBy, each label in its share. Each row's part is stored in a label column ('split').
/// </summary>
[Cmdlet(VerbsCommon.Split, "SegmentSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PSObject))]
public sealed class SplitSegmentSetCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    /// <summary>Each part's share, e.g. 0.7, 0.15, 0.15 (scaled to sum to 1).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public double[] Fraction { get; set; } = [];

    /// <summary>The parts' names; default train, validation, test (train, test for two fractions).</summary>
    [Parameter]
    public string[]? SplitName { get; set; }

    [Parameter(Mandatory = true)]
    public long Seed { get; set; }

    [Parameter]
    public string GroupBy { get; set; } = "Recording";

    [Parameter]
    public string? StratifyBy { get; set; }

    [Parameter]
    public string Column { get; set; } = "split";

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var names = SplitName ?? (Fraction.Length == 2 ? ["train", "test"] : ["train", "validation", "test"]);
        if (!ShouldProcess($"Segment set '{Name}' of {archive.Location}", $"Split {string.Join("/", Fraction)} into {string.Join(", ", names)} (seed {Seed}, grouped by {GroupBy}{(StratifyBy is null ? "" : $", stratified by {StratifyBy}")})")) return;
        var options = new SegmentSplitOptions { Fractions = Fraction, Names = names, Seed = Seed, GroupBy = GroupBy, StratifyBy = StratifyBy, Column = Column };
        try
        {
            var counts = Run(ct => archive.SplitSegmentSetAsync(Name, options, ct));
            foreach (var (split, rows) in counts)
            {
                var item = new PSObject();
                item.Properties.Add(new PSNoteProperty("Set", Name));
                item.Properties.Add(new PSNoteProperty("Split", split));
                item.Properties.Add(new PSNoteProperty("Rows", rows));
                WriteChange(archive, item);
            }
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidSplit", ErrorCategory.InvalidArgument, Fraction));
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            WriteEngineError(e, Name);
        }
    }

    protected override void EndProcessing() => FlushChanges();
}
