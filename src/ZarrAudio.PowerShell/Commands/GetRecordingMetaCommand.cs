using System.Management.Automation;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>Gets recordings' metadata: all of them, or those named by -Id (from the pipeline too).</summary>
[Cmdlet(VerbsCommon.Get, "RecordingMeta", DefaultParameterSetName = AllSet)]
[OutputType(typeof(RecordingInfo))]
public sealed class GetRecordingMetaCommand : ArchiveCmdlet
{
    private const string AllSet = "All";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long[] Id { get; set; } = [];

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        if (ParameterSetName == AllSet)
        {
            // One damaged recording is a non-terminating error naming it; the others are listed.
            var damaged = new List<(long Id, CorruptRecordingException Error)>();
            var all = Run(ct => archive.GetRecordingsAsync(ct, (id, e) => damaged.Add((id, e))));
            WriteVerbose($"{archive.Location}: {all.Count} recording(s){(damaged.Count > 0 ? $", {damaged.Count} damaged" : "")}.");
            foreach (var recording in all) WriteObject(new RecordingInfo(recording, archive));
            foreach (var (id, error) in damaged) WriteEngineError(error, id);
            return;
        }
        foreach (var id in Id)
        {
            ForItem(id, () => WriteObject(new RecordingInfo(Run(ct => archive.GetRecordingAsync(id, ct, refresh: true)), archive)));
        }
    }
}
