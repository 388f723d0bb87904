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

    /// <summary>A fixed-length crop of each range, in seconds: longer ranges are cropped (-Crop), shorter ones padded (-Pad).</summary>
    [Parameter]
    [ValidateRange(1e-9, 86400.0)]
    public double? Length { get; set; }

    [Parameter]
    public Reading.CropMode Crop { get; set; } = Reading.CropMode.Center;

    [Parameter]
    public Reading.PadMode Pad { get; set; } = Reading.PadMode.Zero;

    /// <summary>The seed of random crops: the same seed and row give the same crop anywhere.</summary>
    [Parameter]
    public long Seed { get; set; }

    /// <summary>A segment row's id, which with -Seed decides its random crop (else the row's position in the input).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public long? SegmentId { get; set; }

    private long _row;

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var (id, channels, asFloat, fingerprint) = (RecordingId, Channel, AsSingle.IsPresent || Mono || SampleRate is not null, Fingerprint);
        var (rate, quality, mono) = (SampleRate, ResampleQuality, Mono.IsPresent);
        var (length, crop, pad, seed, row) = (Length, Crop, Pad, Seed, SegmentId ?? _row);
        _row++;
        var range = Range;
        var columns = RowColumns();
        async Task<Read> ReadOne(CancellationToken ct)
        {
            var recording = await RecordingAsync(archive, id, fingerprint, ct).ConfigureAwait(false);
            var (start, count) = recording.Resolve(range);
            var plan = length is { } seconds
                ? Reading.Crops.Plan(start, count, Reading.RangeRequest.ToSample(seconds, recording.SampleRate), crop, seed, row)
                : new Reading.CropPlan(start, count, 0, 0);
            var block = rate is { } r
                ? Resampled(recording, plan.Start, await Reading.Resampling.SampleResampler.ReadAsync(recording, plan.Start, plan.Count, r, channels, quality, ct, mono).ConfigureAwait(false), r, channels)
                : await recording.ReadAsync(plan.Start, plan.Count, channels, asFloat, ct).ConfigureAwait(false);
            if (mono) block = MonoOf(block);
            if (length is { } l) block = Padded(block, plan, l, recording.SampleRate, pad);
            if (length is null) return new Read(block, columns);
            var before = PadOf(plan.PadBefore, recording.SampleRate, block.SampleRate);
            var after = block.SampleCount - before - PadOf(plan.Count, recording.SampleRate, block.SampleRate);
            return new Read(block, [.. columns, new("PadBefore", before), new("PadAfter", after)]);
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

    private static SampleBlock Resampled(Recording recording, long start, float[,] samples, int rate, int[]? channels)
    {
        var indexes = channels ?? Enumerable.Range(0, recording.Channels).ToArray();
        return new SampleBlock
        {
            Id = recording.Id, Start = start, SampleCount = samples.GetLength(0), SampleRate = rate,
            // Mixed to mono before resampling: one channel, named by the first it was mixed from (as -Mono does).
            ChannelIndexes = samples.GetLength(1) == indexes.Length ? indexes : [indexes[0]], Samples = samples, UnitName = "resampled frames",
        };
    }

    /// <summary>A crop's padding in the block's own samples (at the output rate when resampled).</summary>
    private static long PadOf(long sourceSamples, int sourceRate, int rate) =>
        sourceRate == rate ? sourceSamples : Reading.RangeRequest.ToSample(sourceSamples / (double)sourceRate, rate);

    /// <summary>The block filled out to the crop's length, when its segment was shorter.</summary>
    private static SampleBlock Padded(SampleBlock block, Reading.CropPlan plan, double seconds, int sourceRate, Reading.PadMode mode)
    {
        // The crop's length as a full crop of a longer segment has it, so every row comes out equally long.
        var total = PadOf(Reading.RangeRequest.ToSample(seconds, sourceRate), sourceRate, block.SampleRate);
        var before = PadOf(plan.PadBefore, sourceRate, block.SampleRate);
        var after = total - before - block.SampleCount;
        if (before == 0 && after <= 0) return block;
        Array samples = block.Samples switch
        {
            short[,] s => Reading.Crops.Pad(s, before, Math.Max(0, after), mode),
            int[,] i => Reading.Crops.Pad(i, before, Math.Max(0, after), mode),
            float[,] f => Reading.Crops.Pad(f, before, Math.Max(0, after), mode),
            double[,] d => Reading.Crops.Pad(d, before, Math.Max(0, after), mode),
            _ => throw new InvalidOperationException($"Unexpected sample array {block.Samples.GetType().Name}"),
        };
        return new SampleBlock
        {
            Id = block.Id, Start = block.Start, SampleCount = samples.GetLength(0), SampleRate = block.SampleRate, ChannelIndexes = block.ChannelIndexes,
            Samples = samples, FramesDecoded = block.FramesDecoded, UnitName = block.UnitName, BytesFetched = block.BytesFetched,
        };
    }

    /// <summary>The mean of the block's channels, one channel (-Mono).</summary>
    private static SampleBlock MonoOf(SampleBlock block)
    {
        if (block.Channels == 1 && block.Samples is float[,]) return block;
        var (frames, n) = (block.Samples.GetLength(0), block.Channels);
        var mono = new float[frames, 1];
        // Read as floats (Single, or Double for a float64 recording) whenever -Mono is given.
        if (block.Samples is float[,] f)
            Reading.ChannelMix.Mean(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref f[0, 0], f.Length), n, frames,
                System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref mono[0, 0], frames));
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
