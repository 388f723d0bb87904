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
        try
        {
            var archive = ResolveArchive();
            if (ParameterSetName == AllSet)
            {
                foreach (var recording in Run(ct => archive.GetRecordingsAsync(ct))) WriteObject(new RecordingInfo(recording));
                return;
            }
            foreach (var id in Id)
            {
                try { WriteObject(new RecordingInfo(Run(ct => archive.GetRecordingAsync(id, ct)))); }
                catch (RecordingNotFoundException e) { WriteEngineError(e, id); }
            }
        }
        catch (ArchiveNotMountedException e) { ThrowTerminatingError(ErrorRecords.From(e, null)); }
    }
}
