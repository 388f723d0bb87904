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
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            ForItem(id, () =>
            {
                var recording = Run(ct => archive.GetRecordingAsync(id, ct));
                var record = new ProgressRecord(1, "Test-Recording", $"Recording {id} ({i + 1} of {ids.Length}): decoding {recording.Technical.Duration}");
                var report = RunWithProgress((progress, ct) => recording.VerifyAsync(progress, ct), record);
                WriteVerbose($"Recording {id}: decoded {recording.Technical.StoredBytes:N0} stored bytes in {report.Elapsed.TotalSeconds:0.00} s: {(report.IsValid ? "valid" : string.Join("; ", report.Problems))}.");
                foreach (var warning in report.Warnings) WriteWarning($"Recording {id}: {warning}.");
                WriteObject(report);
            });
        }
    }
}
