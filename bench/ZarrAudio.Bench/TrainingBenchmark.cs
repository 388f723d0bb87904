using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Training;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.Bench;

/// <summary>
/// The C# side of bench/training.bench.ps1: batches from the archive by <see cref="BatchReader"/> into one reused
/// buffer. Args: --training ARCHIVE ROWS.csv CONFIG WORKERS BATCHES BATCH_SIZE SEED, CONFIG as in baseline.py.
/// Prints one JSON line: seconds for BATCHES batches after two warm-up batches, and bytes allocated per batch.
/// </summary>
internal static class TrainingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (path, rowsCsv, config) = (args[1], args[2], args[3]);
        var (workers, batches, size, seed) = (int.Parse(args[4]), int.Parse(args[5]), int.Parse(args[6]), long.Parse(args[7]));
        using var archive = await AudioArchive.MountAsync(path, "", create: false, readOnly: true);
        var inputs = File.ReadLines(rowsCsv).Skip(1).Select(line => line.Split(',')).Select(f => new SegmentInput
        {
            Id = long.Parse(f[0], CultureInfo.InvariantCulture), Start = long.Parse(f[2], CultureInfo.InvariantCulture),
            Count = long.Parse(f[3], CultureInfo.InvariantCulture), Labels = new Dictionary<string, object?> { ["species"] = f[4] },
        });
        var rows = await archive.PinSegmentsAsync(inputs);
        var shape = new ExampleShape { Length = 1, Seed = seed };
        if (config != "decode") shape = shape with { SampleRate = 16000, Mono = true };
        if (config == "augment")
        {
            var everything = await archive.PinSegmentsAsync(rows.Select(r => r.Id).Distinct().Select(id => new SegmentInput { Id = id }));
            shape = shape with { Augmentations = [new GainStep { Probability = 1 }, new BackgroundStep { Probability = 1, Sources = everything }] };
        }
        await using var reader = await BatchReader.OpenAsync(archive, rows, shape, new BatchOptions { BatchSize = size, Workers = workers });
        var batch = reader.CreateBatch();
        for (var i = 0; i < 2; i++) await reader.ReadNextAsync(batch);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
            if (!await reader.ReadNextAsync(batch)) throw new InvalidOperationException($"only {i} batches: give more rows");
        var seconds = watch.Elapsed.TotalSeconds;
        var perBatch = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)batches;
        Console.WriteLine(JsonSerializer.Serialize(new { seconds, shape = batch.Shape, allocated_per_batch = perBatch, batch_bytes = batch.Samples.Length * 4L }));
        return 0;
    }
}
