using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ZarrAudio.Archive;
using ZarrAudio.Reading;
using ZarrAudio.Reading.Resampling;
using ZarrAudio.Segments;

namespace ZarrAudio.Analysis.Models;

/// <summary>
/// Runs an <see cref="AudioModel"/> over spans of recordings: windows of the model's length every hop (the last one
/// of a span zero-padded past the recording's end), the chosen channels averaged and resampled to the model's rate,
/// read on all cores into a batch while the model scores the previous batch; every label that reaches the threshold
/// on a window is a <see cref="Detection"/>, in span and window order.
/// </summary>
public sealed class ModelRunner(AudioArchive archive, AudioModel model, AudioModelOptions options) : IDisposable
{
    private readonly ConcurrentBag<ResampleScratch> _workers = [];

    private readonly record struct Window(Recording Recording, string Fingerprint, long Start, long Count);

    /// <summary>The windows of the spans, lazily (a season of recordings is not listed in memory twice).</summary>
    private async IAsyncEnumerable<Window> WindowsAsync(IReadOnlyList<Segment> spans, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var span in spans)
        {
            var recording = await archive.GetRecordingAsync(span.Id, ct).ConfigureAwait(false);
            var fingerprint = span.Fingerprint is { Length: > 0 } f ? f : RecordingFingerprint.Of(recording.Metadata);
            var length = Math.Max(1, RangeRequest.ToSample(model.WindowSamples / (double)options.SampleRate, recording.SampleRate));
            var hop = Math.Max(1, options.HopSeconds is { } h ? RangeRequest.ToSample(h, recording.SampleRate) : length);
            for (var start = span.Start; start < span.Start + span.Count; start += hop)
                yield return new Window(recording, fingerprint, start, Math.Min(length, recording.SampleCount - start));
        }
    }

    public async IAsyncEnumerable<Detection> DetectAsync(IReadOnlyList<Segment> spans, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var size = options.BatchSize;
        var buffers = new[] { new float[size * model.WindowSamples], new float[size * model.WindowSamples] };
        var features = model.FeatureShape is null ? null : new float[size * model.InputLength];
        var batches = Batches(WindowsAsync(spans, ct), size, ct);
        await using var next = batches.GetAsyncEnumerator(ct);
        if (!await next.MoveNextAsync().ConfigureAwait(false)) yield break;
        var current = next.Current;
        var reading = ReadAsync(current, buffers[0], ct);
        for (var b = 0; ; b++)
        {
            await reading.ConfigureAwait(false);
            var windows = current;
            var buffer = buffers[b % 2];
            var more = await next.MoveNextAsync().ConfigureAwait(false);
            if (more)
            {
                current = next.Current;
                reading = ReadAsync(current, buffers[(b + 1) % 2], ct); // read the next batch while this one is scored
            }
            if (features is not null)
                Parallel.For(0, windows.Count, w => model.Features(buffer.AsSpan(w * model.WindowSamples, model.WindowSamples), features.AsSpan(w * model.InputLength, model.InputLength)));
            var input = features ?? buffer;
            var scores = await Task.Run(() => model.Run(input, windows.Count), ct).ConfigureAwait(false);
            var labels = model.Labels;
            for (var w = 0; w < windows.Count; w++)
                for (var l = 0; l < labels.Count; l++)
                    if (scores[w * labels.Count + l] is var score && score >= options.Threshold)
                    {
                        var window = windows[w];
                        yield return new Detection(window.Recording.Id, window.Start, window.Count, window.Recording.SampleRate, labels[l], score, window.Fingerprint);
                    }
            if (!more) yield break;
        }
    }

    public void Dispose()
    {
        while (_workers.TryTake(out var worker)) worker.Dispose();
    }

    private static async IAsyncEnumerable<List<Window>> Batches(IAsyncEnumerable<Window> windows, int size, [EnumeratorCancellation] CancellationToken ct)
    {
        var batch = new List<Window>(size);
        await foreach (var window in windows.WithCancellation(ct).ConfigureAwait(false))
        {
            batch.Add(window);
            if (batch.Count == size)
            {
                yield return batch;
                batch = new List<Window>(size);
            }
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>Each window, mono at the model's rate and zero-padded to its length, into its place in the batch.</summary>
    private Task ReadAsync(List<Window> windows, float[] batch, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, windows.Count), new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, token) =>
        {
            var (recording, _, start, count) = windows[i];
            var n = model.WindowSamples;
            var offset = i * n;
            var channels = options.Channels ?? Enumerable.Range(0, recording.Channels).ToArray();
            if (!_workers.TryTake(out var worker)) worker = new ResampleScratch();
            try
            {
                // At the model's rate a window is read as stored, up to the model's length; else resampled to it.
                var same = recording.SampleRate == options.SampleRate;
                var produced = same ? Math.Min(count, n) : Math.Min(n, RangeRequest.ToSample(count / (double)recording.SampleRate, options.SampleRate));
                if (produced > 0)
                    await SampleResampler.ReadShapedAsync(recording, start, same ? produced : count, options.SampleRate, channels, ResampleQuality.High, mono: true,
                        produced, worker, batch, offset, token).ConfigureAwait(false);
                Array.Clear(batch, offset + (int)produced, n - (int)produced);
            }
            finally { _workers.Add(worker); }
        });
}
