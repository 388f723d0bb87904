using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Removes recordings from the archive. Their ids are never reused. A recording that segment sets refer to is
/// named with those sets (in -WhatIf too, and as a warning when removed): their rows of it fail as stale afterwards.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Recording", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveRecordingCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long[] Id { get; set; } = [];

    private IReadOnlyDictionary<long, IReadOnlyList<(string Set, IReadOnlyList<long> SegmentIds)>>? _references;

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        // The sets are read once per call, not once per recording.
        if (_references is null && !ForItem(archive.Location, () => _references = Run(archive.GetSegmentReferencesAsync))) return;
        foreach (var id in Id)
        {
            var referred = _references!.TryGetValue(id, out var sets)
                ? $"; segment sets still refer to it: {string.Join(", ", sets.Select(s => $"'{s.Set}' ({s.SegmentIds.Count} row(s): segment {string.Join(", ", s.SegmentIds.Take(10))}{(s.SegmentIds.Count > 10 ? " …" : "")})"))}, which will fail as stale"
                : "";
            if (!ShouldProcess($"Recording {id} of {archive.Location}{referred}", "Remove recording")) continue;
            ForItem(id, () =>
            {
                Run(ct => archive.RemoveAsync(id, ct));
                if (referred.Length > 0) WriteWarning($"Removed recording {id}{referred}. Remove those rows with Remove-Segment.");
                WriteVerbose($"Removed recording {id} from {archive.Location}; its id is not used again.");
                WriteChange(archive, null);
            });
        }
    }

    protected override void EndProcessing() => FlushChanges();
}
