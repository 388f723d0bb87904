using System.Collections;
using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Changes user metadata: merges by default, replaces with -Replace, removes keys with -Remove; -TimeZone names the
/// IANA zone the recorder's clock ran in (a start the source gave without an offset is placed in it).
/// </summary>
[Cmdlet(VerbsCommon.Set, "RecordingMeta", SupportsShouldProcess = true)]
[OutputType(typeof(RecordingInfo))]
public sealed class SetRecordingMetaCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long[] Id { get; set; } = [];

    [Parameter(Position = 1)]
    public Hashtable? UserMeta { get; set; }

    /// <summary>Replace all user metadata with -UserMeta instead of merging.</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    [Parameter]
    public string[] Remove { get; set; } = [];

    /// <summary>The IANA time zone the recorder's clock ran in, e.g. Europe/Berlin.</summary>
    [Parameter]
    public string? TimeZone { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var values = PlainUserMetadata(UserMeta);
        foreach (var id in Id)
        {
            if (!ShouldProcess($"Recording {id}", Replace ? "Replace user metadata" : "Update user metadata")) continue;
            ForItem(id, () =>
            {
                if (TimeZone is { } zone)
                {
                    var zoned = Run(ct => archive.SetTimeZoneAsync(id, zone, ct));
                    WriteVerbose($"Recording {id}: its clock ran in {zone}; it started at {Metadata.RecordingTime.Local(zoned.Technical)?.ToString("O") ?? "an unknown time"}.");
                    if (UserMeta is null && Remove.Length == 0 && !Replace)
                    {
                        WriteChange(archive, PassThru ? new RecordingInfo(zoned, archive) : null);
                        return;
                    }
                }
                var recording = Run(ct => archive.SetUserMetadataAsync(id, values, Replace ? UserMetadataChange.Replace : UserMetadataChange.Merge, Remove, ct));
                WriteVerbose($"Recording {id}: {(Replace ? "replaced user metadata with" : "set")} {(values is null ? "nothing" : string.Join(", ", values.Keys.Cast<object>()))}{(Remove.Length > 0 ? $"; removed {string.Join(", ", Remove)}" : "")}.");
                WriteChange(archive, PassThru ? new RecordingInfo(recording, archive) : null);
            });
        }
    }

    protected override void EndProcessing() => FlushChanges();
}
