using System.Diagnostics;
using ZarrAudio.Analysis.Models;
using ZarrAudio.Archive;
using ZarrAudio.Segments;

namespace ZarrAudio.Bench;

/// <summary>
/// The C# side of bench/model.bench.ps1: an ONNX model run over RECORDINGS recordings of ARCHIVE by ModelRunner
/// (windows read, averaged to mono, resampled when the rates differ, batched, read while the model scores), against
/// the model alone on the same number of windows (batches already in memory) and the reading alone (a model that does
/// next to nothing). Args: --model ARCHIVE MODEL CHEAP_MODEL RATE RECORDINGS. Prints one JSON line.
/// </summary>
internal static class ModelBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (path, modelPath, cheapPath, rate, recordings) = (args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5]));
        using var archive = await AudioArchive.MountAsync(path, "", create: false, readOnly: true);
        var spans = await archive.PinSegmentsAsync(Enumerable.Range(1, recordings).Select(id => new SegmentInput { Id = id }));
        var options = new AudioModelOptions { ModelPath = modelPath, SampleRate = rate, BatchSize = 32, Threshold = 0.99 };
        using var model = new AudioModel(options);
        async Task<(double Seconds, int Detections)> RunAsync(AudioModel m, AudioModelOptions o)
        {
            using var runner = new ModelRunner(archive, m, o);
            var watch = Stopwatch.StartNew();
            var n = 0;
            await foreach (var _ in runner.DetectAsync(spans)) n++;
            return (watch.Elapsed.TotalSeconds, n);
        }
        var audioSeconds = spans.Sum(s => s.Count / (double)s.SampleRate);
        var windows = (int)spans.Sum(s => Math.Ceiling(s.Count / (double)Reading.RangeRequest.ToSample(model.WindowSamples / (double)rate, s.SampleRate)));
        // The model alone: the same number of windows in batches of 32 from memory.
        var batch = new float[32 * model.WindowSamples];
        for (var i = 0; i < batch.Length; i++) batch[i] = (float)Math.Sin(i * 0.01) * 0.1f;
        model.Run(batch, 32); // warm-up
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < windows; done += 32) model.Run(batch, Math.Min(32, windows - done));
        var modelOnly = watch.Elapsed.TotalSeconds;
        var cheapOptions = options with { ModelPath = cheapPath, WindowSeconds = model.WindowSamples / (double)rate, Threshold = 1 };
        using var cheap = new AudioModel(cheapOptions);
        var readOnly = await RunAsync(cheap, cheapOptions);
        var full = await RunAsync(model, options);
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { audio_seconds = audioSeconds, windows, full = full.Seconds, model_only = modelOnly, read_only = readOnly.Seconds, detections = full.Detections }));
        return 0;
    }
}
