using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>Decodes recordings completely and checks every FLAC frame CRC, the MD5 signatures and the Zarr checksums.</summary>
[Cmdlet(VerbsDiagnostic.Test, "Recording")]
[OutputType(typeof(IntegrityReport))]
public sealed class TestRecordingCommand : ArchiveCmdlet
{
    /// <summary>Recordings to check; all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var ids = Id ?? Run(ct => archive.ListIdsAsync(ct)).ToArray();
        foreach (var id in ids)
        {
            try
            {
                var recording = Run(ct => archive.GetRecordingAsync(id, ct));
                var record = new ProgressRecord(1, "Test-Recording", $"Recording {id}");
                var report = Run(ct => recording.VerifyAsync(null, ct));
                record.RecordType = ProgressRecordType.Completed;
                WriteProgress(record);
                WriteObject(report);
            }
            catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException) { WriteEngineError(e, id); }
        }
    }
}
