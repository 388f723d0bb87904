using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Stores piped rows as a new segment set: each row checked against its recording (span, channel, band below
/// Nyquist) and pinned to it by the recording's fingerprint. A bad row stores nothing.
/// </summary>
[Cmdlet(VerbsCommon.New, "SegmentSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SegmentSetInfo))]
public sealed class NewSegmentSetCommand : SegmentInputCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = "";

    [Parameter]
    public string? Description { get; set; }

    /// <summary>Who or what made the set (a person, a detector and its version); default user@host.</summary>
    [Parameter]
    public string? CreatedBy { get; set; }

    /// <summary>The label files the rows came from, kept in the set's metadata.</summary>
    [Parameter]
    public string[]? Source { get; set; }

    protected override string Target => Name;

    protected override SegmentSetInfo? Store(AudioArchive archive, List<SegmentInput> rows)
    {
        if (!ShouldProcess($"Segment set '{Name}' of {archive.Location}", $"Create with {rows.Count} row(s)")) return null;
        var info = Run(ct => archive.CreateSegmentSetAsync(Name, rows, new SegmentSetDescription(Description, CreatedBy, Source), ct));
        WriteVerbose($"Created segment set '{Name}': {info.Rows} row(s) of {info.Recordings} recording(s), {info.Seconds:0.###} s.");
        return info;
    }
}
