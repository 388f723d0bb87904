using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Adds piped rows to a segment set, checked and pinned as New-SegmentSet does. Writers in other processes and hosts
/// may add at the same time: none loses rows.
/// </summary>
[Cmdlet(VerbsCommon.Add, "Segment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SegmentSetInfo))]
public sealed class AddSegmentCommand : SegmentInputCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Set { get; set; } = "";

    /// <summary>The label files the rows came from, added to the set's sources.</summary>
    [Parameter]
    public string[]? Source { get; set; }

    protected override string Target => Set;

    protected override SegmentSetInfo? Store(AudioArchive archive, List<SegmentInput> rows)
    {
        if (!ShouldProcess($"Segment set '{Set}' of {archive.Location}", $"Add {rows.Count} row(s)")) return null;
        var info = Run(ct => archive.AddSegmentsAsync(Set, rows, Source, ct));
        WriteVerbose($"Added {rows.Count} row(s) to segment set '{Set}', which now holds {info.Rows}.");
        return info;
    }
}
