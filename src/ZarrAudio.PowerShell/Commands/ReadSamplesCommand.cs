using System.Collections.Concurrent;
using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Reading;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Reads sample ranges as [frame, channel] arrays; recordings, segment rows and rows of a label list (objects with Id
/// and Start/Count or StartTime/Duration) pipe in, and a row's other columns come out with its samples. With -ThrottleLimit above 1, reads run in parallel and are still emitted in input order.
/// </summary>
[Cmdlet(VerbsCommunications.Read, "Samples", DefaultParameterSetName = SampleSet)]
[OutputType(typeof(SampleBlock))]
public sealed class ReadSamplesCommand : SampleRangeCmdlet
{
    private readonly List<Task<Read>> _pending = [];

    /// <summary>A block and the input row's other columns, which go along with it.</summary>
    private sealed record Read(SampleBlock Block, IReadOnlyList<KeyValuePair<string, object?>> Columns);
    private SemaphoreSlim? _throttle;

    /// <summary>Float32 samples normalised to ±1.0 instead of Int16/Int32.</summary>
    [Parameter]
    public SwitchParameter AsSingle { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var (id, channels, asFloat, fingerprint) = (RecordingId, Channel, AsSingle.IsPresent, Fingerprint);
        var range = Range;
        var columns = RowColumns();
        async Task<Read> ReadOne(CancellationToken ct)
        {
            var recording = await RecordingAsync(archive, id, fingerprint, ct).ConfigureAwait(false);
            var (start, count) = recording.Resolve(range);
            return new Read(await recording.ReadAsync(start, count, channels, asFloat, ct).ConfigureAwait(false), columns);
        }
        if (ThrottleLimit == 1)
        {
            ForItem(id, () => WriteBlock(Run(ReadOne)));
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
        ForItem(null, () => WriteBlock(task.GetAwaiter().GetResult()));
    }

    private void WriteBlock(Read read)
    {
        var block = read.Block;
        WriteVerbose($"Recording {block.Id} [{block.Start}, {block.Start + block.SampleCount}) channels {string.Join(",", block.ChannelIndexes)}: {block.FramesDecoded} {block.UnitName} decoded, {block.BytesFetched:N0} bytes fetched.");
        if (read.Columns.Count == 0)
        {
            WriteObject(block);
            return;
        }
        // The row's labels, scores … as note properties, unless the block has a property of that name.
        var output = PSObject.AsPSObject(block);
        foreach (var (name, value) in read.Columns)
            if (output.Properties[name] is null) output.Properties.Add(new PSNoteProperty(name, value));
        WriteObject(output);
    }

    protected override void EndProcessing()
    {
        while (_pending.Count > 0) EmitFirst();
    }
}
