using System.Collections.Concurrent;
using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Reading;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Reads sample ranges as [frame, channel] arrays. Id, Start and Count bind by property name, so recordings
/// and rows of a label list (objects with Id, Start, Count) pipe in. With -ThrottleLimit above 1, reads run
/// in parallel and are still emitted in input order.
/// </summary>
[Cmdlet(VerbsCommunications.Read, "Samples", DefaultParameterSetName = SampleSet)]
[OutputType(typeof(SampleBlock))]
public sealed class ReadSamplesCommand : ArchiveCmdlet
{
    private const string SampleSet = "Samples";
    private const string TimeSet = "Time";
    private readonly List<Task<SampleBlock>> _pending = [];
    private SemaphoreSlim? _throttle;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long Id { get; set; }

    [Parameter(Position = 1, ParameterSetName = SampleSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long Start { get; set; }

    /// <summary>Samples per channel; default: to the end of the recording.</summary>
    [Parameter(Position = 2, ParameterSetName = SampleSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long Count { get; set; } = -1;

    // Time parameters do not bind from the pipeline: a recording's own Duration would pull it into this set.
    [Parameter(Mandatory = true, ParameterSetName = TimeSet)]
    public TimeSpan StartTime { get; set; }

    [Parameter(ParameterSetName = TimeSet)]
    public TimeSpan? Duration { get; set; }

    /// <summary>0-based channels to read, in output order; default all.</summary>
    [Parameter]
    public int[]? Channel { get; set; }

    /// <summary>Float32 samples normalised to ±1.0 instead of Int16/Int32.</summary>
    [Parameter]
    public SwitchParameter AsSingle { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var (id, channels, asFloat) = (Id, Channel, AsSingle.IsPresent);
        var range = new RequestedRange(ParameterSetName == TimeSet, Start, Count, StartTime, Duration);
        async Task<SampleBlock> ReadOne(CancellationToken ct)
        {
            var recording = await archive.GetRecordingAsync(id, ct).ConfigureAwait(false);
            var (start, count) = range.Resolve(recording);
            return await recording.ReadAsync(start, count, channels, asFloat, ct).ConfigureAwait(false);
        }
        if (ThrottleLimit == 1)
        {
            try { WriteBlock(Run(ReadOne)); }
            catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException) { WriteEngineError(e, id); }
            return;
        }
        _throttle ??= new SemaphoreSlim(ThrottleLimit);
        var throttle = _throttle;
        _pending.Add(StartWork(async ct =>
        {
            await throttle.WaitAsync(ct).ConfigureAwait(false);
            try { return await ReadOne(ct).ConfigureAwait(false); }
            finally { throttle.Release(); }
        }));
        // Emit finished reads from the front, keeping input order and bounding what is held in memory.
        while (_pending.Count > 0 && (_pending[0].IsCompleted || _pending.Count > ThrottleLimit * 4)) EmitFirst();
    }

    private void EmitFirst()
    {
        var task = _pending[0];
        _pending.RemoveAt(0);
        try { WriteBlock(task.GetAwaiter().GetResult()); }
        catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException) { WriteEngineError(e, null); }
    }

    private void WriteBlock(SampleBlock block)
    {
        WriteVerbose($"Recording {block.Id} [{block.Start}, {block.Start + block.SampleCount}) channels {string.Join(",", block.ChannelIndexes)}: {block.FramesDecoded} FLAC frames, {block.BytesFetched:N0} bytes fetched.");
        WriteObject(block);
    }

    protected override void EndProcessing()
    {
        while (_pending.Count > 0) EmitFirst();
    }
}
