using ZarrAudio.Archive;
using ZarrAudio.Reading;
using ZarrAudio.Reading.Resampling;
using ZarrAudio.Segments;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.Training;

/// <summary>
/// Reads training examples: a row cropped (or padded) to the shape's length, at its rate and channels, then augmented.
/// Every draw (the crop's place, each step's parameters) comes from (seed, epoch, row key, step), so an example is
/// bit-identical whichever thread reads it. One reader per worker: its buffers and resampler are reused, so a warm
/// reader allocates little besides what it reports.
/// </summary>
public sealed class ExampleReader : IExampleSource, IDisposable
{
    private readonly AudioArchive _archive;
    private readonly ExampleShape _shape;
    private readonly IReadOnlyList<Segment> _rows;
    private readonly IReadOnlyList<long> _keys;
    private readonly ResampleScratch _resampler = new();
    private float[] _example = [], _scratch = [];
    private readonly SpeedStep? _speed;

    /// <param name="rows">The rows examples are read from (and mixes drawn from).</param>
    /// <param name="keys">Each row's key in draws; null: its segment id.</param>
    public ExampleReader(AudioArchive archive, ExampleShape shape, IReadOnlyList<Segment> rows, IReadOnlyList<long>? keys = null)
    {
        shape.Validate();
        (_archive, _shape, _rows) = (archive, shape, rows);
        _keys = keys ?? rows.Select(r => r.SegmentId).ToArray();
        _speed = shape.Augmentations.OfType<SpeedStep>().FirstOrDefault();
    }

    public IReadOnlyList<Segment> Rows => _rows;
    public int RowIndex { get; private set; }
    private long _epoch;
    private int _rate, _channels;

    /// <summary>The example's rate: the shape's, else the recording's.</summary>
    public int RateOf(Recording recording) => _shape.SampleRate ?? recording.SampleRate;
    public int FramesAt(int rate) => (int)RangeRequest.ToSample(_shape.Length, rate);
    public int ChannelsOf(Segment row, Recording recording) => _shape.Mono ? 1 : PickedChannels(row, recording).Length;

    /// <summary>
    /// Reads row <paramref name="index"/> for <paramref name="epoch"/> into <paramref name="destination"/> from
    /// <paramref name="offset"/>: [channel, frame] when <paramref name="planar"/> (a batch's layout), else [frame, channel].
    /// </summary>
    public async ValueTask<TrainingExample> ReadAsync(int index, long epoch, float[] destination, long offset, bool planar, CancellationToken ct)
    {
        var row = _rows[index];
        var recording = await _archive.GetRecordingAsync(row.Id, ct).ConfigureAwait(false);
        (RowIndex, _epoch, _rate, _channels) = (index, epoch, RateOf(recording), ChannelsOf(row, recording));
        var (frames, n) = (FramesAt(_rate), _channels);
        _example = Grown(_example, frames * n, pinned: true);
        var applied = new List<AppliedAugmentation>();
        var speed = 1.0;
        if (_speed is not null)
        {
            var random = StepRandom(epoch, _keys[index], IndexOf(_speed));
            if (random.NextDouble() < _speed.Probability)
            {
                speed = _speed.Draw(random);
                // The resampler's rates are whole hertz: the factor applied is the one they give.
                speed = _rate / (double)Math.Max(1, (int)Math.Round(_rate / speed));
                applied.Add(new AppliedAugmentation(_speed.Name, new Dictionary<string, double> { ["factor"] = speed }));
            }
        }
        var (plan, before, after) = await ReadCropAsync(row, recording, _keys[index], epoch, 0, speed, _example, frames, n, ct).ConfigureAwait(false);
        var context = new AugmentationContext(_example, frames, n, _rate, this);
        for (var s = 0; s < _shape.Augmentations.Count; s++)
        {
            var step = _shape.Augmentations[s];
            if (step is SpeedStep) continue;
            context.Random = StepRandom(epoch, _keys[index], s);
            if (context.Random.NextDouble() >= step.Probability) continue;
            if (await step.ApplyAsync(context, ct).ConfigureAwait(false) is { } done) applied.Add(done);
        }
        Write(_example, frames, n, destination, offset, planar);
        return new TrainingExample
        {
            Row = row, Key = _keys[index], Epoch = epoch, CropStart = plan.Start, CropCount = plan.Count, PadBefore = before, PadAfter = after,
            Applied = applied, Mixed = context.Mixed.Count == 0 ? [] : [.. context.Mixed],
        };
    }

    private int IndexOf(AugmentationStep step)
    {
        for (var i = 0; i < _shape.Augmentations.Count; i++) if (ReferenceEquals(_shape.Augmentations[i], step)) return i;
        return -1;
    }

    private SplitMix64 StepRandom(long epoch, long key, int step) => new((long)SplitMix64.Hash(_shape.Seed, epoch, key, 1 + step));

    /// <summary>
    /// The crop of <paramref name="row"/> as <paramref name="frames"/> interleaved frames at the example's rate, padded
    /// when the row is shorter; the crop's place drawn from (seed, epoch, salt, key). Returns the crop and the padding in output frames.
    /// </summary>
    private async ValueTask<(CropPlan Plan, int Before, int After)> ReadCropAsync(Segment row, Recording recording, long key, long epoch, long salt,
        double speed, float[] into, int frames, int n, CancellationToken ct)
    {
        var source = recording.SampleRate;
        var rate = speed == 1.0 ? _rate : (int)Math.Round(_rate / speed);
        var plan = Crops.Plan(row.Start, row.Count, RangeRequest.ToSample(_shape.Length * speed, source), _shape.Crop,
            (long)SplitMix64.Hash(_shape.Seed, epoch, salt), key);
        var before = (int)Math.Min(frames, RangeRequest.ToSample(plan.PadBefore / (double)source, rate));
        var inner = (int)Math.Clamp(RangeRequest.ToSample(plan.Count / (double)source, rate), 1, frames - before);
        if (before == frames) (before, inner) = (frames - 1, 1);
        await ReadShapedAsync(recording, plan.Start, plan.Count, PickedChannels(row, recording), _shape.Mono, rate, inner, into, before * n, ct).ConfigureAwait(false);
        Crops.PadInPlace(into.AsSpan(0, frames * n), n, before, inner, _shape.Pad);
        return (plan, before, frames - before - inner);
    }

    /// <summary>[start, start+count) of the channels, mixed to mono or not, as <paramref name="outFrames"/> frames at <paramref name="rate"/>.</summary>
    private ValueTask ReadShapedAsync(Recording recording, long start, long count, int[] channels, bool mono, int rate, long outFrames,
        float[] into, long offset, CancellationToken ct) =>
        // The reader's own buffers are pinned: the decoder writes into them directly.
        SampleResampler.ReadShapedAsync(recording, start, count, rate, channels, _shape.Quality, mono, outFrames, _resampler, into, offset, ct,
            destinationPinned: ReferenceEquals(into, _example) || ReferenceEquals(into, _scratch));

    private int[] PickedChannels(Segment row, Recording recording) =>
        _shape.Channels ?? (row.Channel is { } c ? [c] : Enumerable.Range(0, recording.Channels).ToArray());

    async ValueTask<Segment> IExampleSource.ReadBackgroundAsync(Segment source, SplitMix64 random, float[] destination, CancellationToken ct)
    {
        var recording = await _archive.GetRecordingAsync(source.Id, ct).ConfigureAwait(false);
        var frames = FramesAt(_rate);
        var channels = source.Channel is { } c ? new[] { c } : Enumerable.Range(0, recording.Channels).ToArray();
        var need = Math.Max(1, RangeRequest.ToSample(frames / (double)_rate, recording.SampleRate));
        if (source.Count >= need)
        {
            var start = source.Start + random.Index(source.Count - need + 1);
            await ReadShapedAsync(recording, start, need, channels, mono: true, _rate, frames, destination, 0, ct).ConfigureAwait(false);
            return source with { Start = start, Count = need };
        }
        // Shorter than the example: the whole source, repeated.
        var have = (int)Math.Clamp(RangeRequest.ToSample(source.Count / (double)recording.SampleRate, _rate), 1, frames);
        await ReadShapedAsync(recording, source.Start, source.Count, channels, mono: true, _rate, have, destination, 0, ct).ConfigureAwait(false);
        for (var i = have; i < frames; i++) destination[i] = destination[i - have];
        return source;
    }

    async ValueTask<Segment> IExampleSource.ReadRowAsync(int index, long salt, float[] destination, CancellationToken ct)
    {
        var row = _rows[index];
        var recording = await _archive.GetRecordingAsync(row.Id, ct).ConfigureAwait(false);
        if (RateOf(recording) != _rate)
            throw new InvalidTrainingOptionException("Mix", $"recording {row.Id} is at {recording.SampleRate} Hz and the example at {_rate} Hz: give a sample rate to mix rows of different rates.");
        var (frames, n) = (FramesAt(_rate), _channels);
        if (ChannelsOf(row, recording) != n)
            throw new InvalidTrainingOptionException("Mix", $"row {index} has {ChannelsOf(row, recording)} channels and the example {n}: read mono or choose channels to mix them.");
        var (plan, _, _) = await ReadCropAsync(row, recording, _keys[index], _epoch, salt, 1.0, destination, frames, n, ct).ConfigureAwait(false);
        return row with { Start = plan.Start, Count = plan.Count };
    }

    float[] IExampleSource.Scratch(int length) => _scratch = Grown(_scratch, length, pinned: true);

    private static float[] Grown(float[] buffer, long length, bool pinned = false) =>
        buffer.LongLength >= length ? buffer : GC.AllocateUninitializedArray<float>(checked((int)length), pinned);

    /// <summary>Interleaved frames to the destination, transposed to [channel, frame] for a batch.</summary>
    private static void Write(float[] example, int frames, int n, float[] destination, long offset, bool planar)
    {
        if (!planar || n == 1)
        {
            Array.Copy(example, 0, destination, offset, (long)frames * n);
            return;
        }
        for (var c = 0; c < n; c++)
            for (var i = 0; i < frames; i++) destination[offset + (long)c * frames + i] = example[i * n + c];
    }

    public void Dispose() => _resampler.Dispose();
}
