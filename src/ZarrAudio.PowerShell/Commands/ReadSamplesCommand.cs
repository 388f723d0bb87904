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

    /// <summary>Read at this rate (Hz) through libsoxr, as Single samples, aligned to the range's start.</summary>
    [Parameter]
    [ValidateRange(1, Reading.Resampling.SampleResampler.MaxRate)]
    public int? SampleRate { get; set; }

    /// <summary>libsoxr's quality recipe for -SampleRate; default High (soxr_hq, librosa's and OpenSoundscape's default).</summary>
    [Parameter]
    public Reading.Resampling.ResampleQuality ResampleQuality { get; set; } = Reading.Resampling.ResampleQuality.High;

    /// <summary>One channel: the mean of the chosen channels, as Single samples.</summary>
    [Parameter]
    public SwitchParameter Mono { get; set; }

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var (id, channels, asFloat, fingerprint) = (RecordingId, Channel, AsSingle.IsPresent || Mono || SampleRate is not null, Fingerprint);
        var (rate, quality, mono) = (SampleRate, ResampleQuality, Mono.IsPresent);
        var range = Range;
        var columns = RowColumns();
        async Task<Read> ReadOne(CancellationToken ct)
        {
            var recording = await RecordingAsync(archive, id, fingerprint, ct).ConfigureAwait(false);
            var (start, count) = recording.Resolve(range);
            var block = rate is { } r
                ? Resampled(recording, start, await Reading.Resampling.SampleResampler.ReadAsync(recording, start, count, r, channels, quality, ct).ConfigureAwait(false), r, channels)
                : await recording.ReadAsync(start, count, channels, asFloat, ct).ConfigureAwait(false);
            return new Read(mono ? MonoOf(block) : block, columns);
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

    private static SampleBlock Resampled(Recording recording, long start, float[,] samples, int rate, int[]? channels) => new()
    {
        Id = recording.Id, Start = start, SampleCount = samples.GetLength(0), SampleRate = rate,
        ChannelIndexes = channels ?? Enumerable.Range(0, recording.Channels).ToArray(), Samples = samples, UnitName = "resampled frames",
    };

    /// <summary>The mean of the block's channels, one channel (-Mono).</summary>
    private static SampleBlock MonoOf(SampleBlock block)
    {
        if (block.Channels == 1 && block.Samples is float[,]) return block;
        var (frames, n) = (block.Samples.GetLength(0), block.Channels);
        var mono = new float[frames, 1];
        // Read as floats (Single, or Double for a float64 recording) whenever -Mono is given.
        if (block.Samples is float[,] f)
            for (var i = 0; i < frames; i++) { var sum = 0.0; for (var c = 0; c < n; c++) sum += f[i, c]; mono[i, 0] = (float)(sum / n); }
        else if (block.Samples is double[,] d)
            for (var i = 0; i < frames; i++) { var sum = 0.0; for (var c = 0; c < n; c++) sum += d[i, c]; mono[i, 0] = (float)(sum / n); }
        else throw new InvalidOperationException($"-Mono reads floats, not {block.Samples.GetType().Name}");
        return new SampleBlock
        {
            Id = block.Id, Start = block.Start, SampleCount = block.SampleCount, SampleRate = block.SampleRate, ChannelIndexes = [block.ChannelIndexes[0]],
            Samples = mono, FramesDecoded = block.FramesDecoded, UnitName = block.UnitName, BytesFetched = block.BytesFetched,
        };
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
