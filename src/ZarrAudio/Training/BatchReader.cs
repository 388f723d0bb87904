using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ZarrAudio.Archive;
using ZarrAudio.Segments;

namespace ZarrAudio.Training;

/// <summary>
/// Batches of training examples from rows of the archive: shuffled per epoch by seed, read on all cores a few batches
/// ahead of the consumer (memory bounded by <see cref="BatchOptions.Prefetch"/>, not by the number of rows), each example
/// cropped, resampled and augmented by <see cref="ExampleReader"/>. A batch is the same for the same rows, shape,
/// options and seed, on any machine and with any number of workers. Dispose stops every read at once.
/// </summary>
public sealed class BatchReader : IAsyncDisposable
{
    private readonly AudioArchive _archive;
    private readonly IReadOnlyList<Segment> _rows;
    private readonly long[] _keys;
    private readonly ExampleShape _shape;
    private readonly BatchOptions _options;
    private readonly TrainingBatch[] _slots;
    private readonly Task[] _fills;
    private readonly SemaphoreSlim _workers;
    private readonly ConcurrentBag<ExampleReader> _readers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<long, int[]> _orders = [];
    private long _taken;

    private BatchReader(AudioArchive archive, IReadOnlyList<Segment> rows, ExampleShape shape, BatchOptions options, int channels, int frames, int rate)
    {
        (_archive, _rows, _shape, _options) = (archive, rows, shape, options);
        // Draws key on a set's segment id, else on the row's place in the input.
        _keys = rows.All(r => r.Set is not null) && rows.Select(r => r.SegmentId).Distinct().Count() == rows.Count
            ? rows.Select(r => r.SegmentId).ToArray() : Enumerable.Range(0, rows.Count).Select(i => (long)i).ToArray();
        (Channels, Frames, SampleRate) = (channels, frames, rate);
        Labels = BatchLabels.From(rows);
        BatchesPerEpoch = options.Last == LastBatch.Drop ? rows.Count / options.BatchSize : (rows.Count + options.BatchSize - 1) / options.BatchSize;
        TotalBatches = BatchesPerEpoch * options.Epochs;
        _workers = new SemaphoreSlim(options.Workers);
        _slots = new TrainingBatch[Math.Min(options.Prefetch, Math.Max(1, TotalBatches))];
        _fills = new Task[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = CreateBatch();
            _fills[i] = i < TotalBatches ? FillAsync(i, _slots[i]) : Task.CompletedTask;
        }
    }

    public int Channels { get; }
    public int Frames { get; }
    public int SampleRate { get; }
    public BatchLabels Labels { get; }
    public long BatchesPerEpoch { get; }
    public long TotalBatches { get; }

    /// <summary>Checks every option and row (recordings there and unchanged, one rate and channel count) before any read starts.</summary>
    public static async Task<BatchReader> OpenAsync(AudioArchive archive, IReadOnlyList<Segment> rows, ExampleShape shape, BatchOptions options, CancellationToken ct = default)
    {
        shape.Validate();
        options.Validate();
        if (rows.Count == 0) throw new InvalidTrainingOptionException("Rows", "there are no rows to read batches from.");
        if (options.Last == LastBatch.Drop && rows.Count < options.BatchSize)
            throw new InvalidTrainingOptionException("BatchSize", $"{rows.Count} rows make no full batch of {options.BatchSize}, and the last batch is dropped: give a smaller batch, or keep or pad the last batch.");
        var sources = shape.Augmentations.OfType<Augmentation.BackgroundStep>().SelectMany(b => b.Sources).ToList();
        SegmentStaleException.ThrowIfAny(null, await archive.FindStaleSegmentsAsync([.. rows.Where(r => r.Fingerprint.Length > 0), .. sources.Where(r => r.Fingerprint.Length > 0)], ct).ConfigureAwait(false));
        using var probe = new ExampleReader(archive, shape, rows);
        var (rates, channels) = (new SortedSet<int>(), new SortedSet<int>());
        foreach (var row in rows)
        {
            var recording = await archive.GetRecordingAsync(row.Id, ct).ConfigureAwait(false);
            foreach (var c in shape.Channels ?? [])
                if (c >= recording.Channels) throw new InvalidTrainingOptionException("Channel", $"channel {c} does not exist in recording {row.Id}, which has {recording.Channels}.");
            rates.Add(probe.RateOf(recording));
            channels.Add(probe.ChannelsOf(row, recording));
        }
        if (rates.Count > 1) throw new InvalidTrainingOptionException("SampleRate", $"the rows' recordings are at {string.Join(", ", rates)} Hz: give a sample rate to read them all at.");
        if (channels.Count > 1) throw new InvalidTrainingOptionException("Channel", $"the rows have {string.Join(" and ", channels)} channels: read them mono or choose the channels.");
        return new BatchReader(archive, rows, shape, options, channels.Min, probe.FramesAt(rates.Min), rates.Min);
    }

    /// <summary>A buffer for <see cref="ReadNextAsync"/>, reusable for every batch.</summary>
    public TrainingBatch CreateBatch() => new(_options.BatchSize, Channels, Frames, SampleRate, Labels);

    /// <summary>
    /// Gives <paramref name="into"/> the next batch, by exchanging arrays with a read-ahead slot (no copy): what
    /// <paramref name="into"/> held before is reused for a later batch, so keep nothing from it across calls.
    /// False when all epochs are done.
    /// </summary>
    public async ValueTask<bool> ReadNextAsync(TrainingBatch into, CancellationToken ct = default)
    {
        if (_taken >= TotalBatches) return false;
        var slot = (int)(_taken % _slots.Length);
        await _fills[slot].WaitAsync(ct).ConfigureAwait(false);
        _slots[slot].MoveTo(into);
        _taken++;
        var next = _taken - 1 + _slots.Length;
        if (next < TotalBatches) _fills[slot] = FillAsync(next, _slots[slot]);
        return true;
    }

    /// <summary>Every batch as a new object (for consumers that keep them, as a PowerShell pipeline does).</summary>
    public async IAsyncEnumerable<TrainingBatch> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (true)
        {
            var batch = CreateBatch();
            if (!await ReadNextAsync(batch, ct).ConfigureAwait(false)) yield break;
            yield return batch;
        }
    }

    private async Task FillAsync(long number, TrainingBatch slot)
    {
        await Task.Yield();
        var ct = _stop.Token;
        var epoch = _options.FirstEpoch + number / BatchesPerEpoch;
        var index = number % BatchesPerEpoch;
        var order = OrderOf(epoch);
        var from = (int)(index * _options.BatchSize);
        var count = Math.Min(_options.BatchSize, _rows.Count - from);
        var size = Channels * Frames;
        var reads = new Task[count];
        for (var i = 0; i < count; i++) reads[i] = ReadOneAsync(order[from + i], epoch, slot, i, size, ct);
        await Task.WhenAll(reads).ConfigureAwait(false);
        var rows = _options.Last == LastBatch.Pad ? _options.BatchSize : count;
        Array.Clear(slot.Samples, count * size, (rows - count) * size);
        (slot.Count, slot.Rows, slot.Epoch, slot.Index) = (count, rows, epoch, index);
    }

    private async Task ReadOneAsync(int row, long epoch, TrainingBatch slot, int i, int size, CancellationToken ct)
    {
        await _workers.WaitAsync(ct).ConfigureAwait(false);
        if (!_readers.TryTake(out var reader)) reader = new ExampleReader(_archive, _shape, _rows, _keys);
        try { slot.Examples[i] = await reader.ReadAsync(row, epoch, slot.Samples, (long)i * size, planar: true, ct).ConfigureAwait(false); }
        finally
        {
            _readers.Add(reader);
            _workers.Release();
        }
    }

    /// <summary>The rows' order in an epoch: shuffled from (seed, epoch) by Fisher–Yates, or as given.</summary>
    private int[] OrderOf(long epoch)
    {
        lock (_orders)
        {
            if (_orders.TryGetValue(epoch, out var known)) return known;
            var order = Enumerable.Range(0, _rows.Count).ToArray();
            if (_options.Shuffle)
            {
                var random = new SplitMix64((long)SplitMix64.Hash(_shape.Seed, epoch, -1));
                for (var i = order.Length - 1; i > 0; i--)
                {
                    var j = (int)random.Index(i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
            }
            // Fills run at most Prefetch batches apart, so they need at most two epochs' orders at once.
            foreach (var old in _orders.Keys.Where(e => e < epoch - 1).ToList()) _orders.Remove(old);
            return _orders[epoch] = order;
        }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        try { await Task.WhenAll(_fills).ConfigureAwait(false); }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        while (_readers.TryTake(out var reader)) reader.Dispose();
        _stop.Dispose();
    }
}
