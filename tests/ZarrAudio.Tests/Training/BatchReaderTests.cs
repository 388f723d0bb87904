using System.Runtime.InteropServices;
using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Testing;
using ZarrAudio.Training;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.Tests;

/// <summary>Batches: every row once per epoch in a seeded order, bit-identical on any number of workers, labels encoded, files numpy reads.</summary>
public class BatchReaderTests
{
    private static async Task<(TempDirectory Dir, AudioArchive Archive, List<Segment> Rows, List<Segment> Noise)> SetUpAsync(int rows = 10)
    {
        var dir = new TempDirectory();
        var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var inputs = new List<SegmentInput>();
        for (var i = 0; i < rows; i++)
        {
            // Stereo at 48 kHz, each recording its own level so examples can be told apart.
            var r = await ExampleReaderTests.ImportAsync(archive, ExampleReaderTests.Noise(2 * 96000, 10 + i, 0.05f * (i + 1)), 48000, channels: 2);
            inputs.Add(new SegmentInput { Id = r.Id, Start = 4800 * (i % 3), Count = 24000 + 2400 * i, Labels = new Dictionary<string, object?> { ["species"] = i % 2 == 0 ? "wren" : "robin", ["score"] = i / 10.0 } });
        }
        var noise = await ExampleReaderTests.ImportAsync(archive, ExampleReaderTests.Noise(48000, 99, 0.2f), 48000);
        return (dir, archive, await archive.PinSegmentsAsync(inputs), await archive.PinSegmentsAsync([new SegmentInput { Id = noise.Id }]));
    }

    private static ExampleShape Augmented(IReadOnlyList<Segment> noise) => new()
    {
        Length = 0.25, SampleRate = 16000, Mono = true, Seed = 42,
        Augmentations = [new GainStep(), new PolarityStep(), new SpeedStep(), new BackgroundStep { Sources = noise }, new MixStep(), new NoiseStep(), new ShiftStep(), new TimeMaskStep()],
    };

    private static async Task<List<(byte[] Samples, string[] Applied, long[] Rows, long Epoch)>> AllAsync(AudioArchive archive, IReadOnlyList<Segment> rows, ExampleShape shape, BatchOptions options)
    {
        var result = new List<(byte[], string[], long[], long)>();
        await using var reader = await BatchReader.OpenAsync(archive, rows, shape, options);
        var batch = reader.CreateBatch();
        while (await reader.ReadNextAsync(batch))
            result.Add((MemoryMarshal.AsBytes(batch.Samples.AsSpan(0, batch.Rows * batch.Channels * batch.Frames)).ToArray(),
                batch.Examples.Take(batch.Count).Select(e => string.Join(";", e.Applied)).ToArray(), batch.Examples.Take(batch.Count).Select(e => e.Key).ToArray(), batch.Epoch));
        return result;
    }

    [Fact]
    public async Task BatchesAreBitIdenticalOnAnyNumberOfWorkersAndEveryRowComesOncePerEpoch()
    {
        var (dir, archive, rows, noise) = await SetUpAsync();
        using (dir)
        using (archive)
        {
            var shape = Augmented(noise);
            var one = await AllAsync(archive, rows, shape, new BatchOptions { BatchSize = 4, Epochs = 3, Workers = 1, Prefetch = 1 });
            var many = await AllAsync(archive, rows, shape, new BatchOptions { BatchSize = 4, Epochs = 3, Workers = 4, Prefetch = 3 });
            Assert.Equal(9, one.Count); // 3 per epoch: 4 + 4 + 2
            for (var b = 0; b < one.Count; b++)
            {
                Assert.Equal(one[b].Samples, many[b].Samples);
                Assert.Equal(one[b].Applied, many[b].Applied);
            }
            foreach (var epoch in one.GroupBy(b => b.Epoch))
                Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), epoch.SelectMany(b => b.Rows).Order());
            // Each epoch in its own order, and augmentations drawn anew.
            Assert.NotEqual(one[0].Rows, one[3].Rows);
            Assert.Contains(one.SelectMany(b => b.Applied), a => a.Contains("Background") && a.Contains("Mix") && a.Contains("Speed"));
            // A reader started at epoch 1 gives what epoch 1 gave (a run can go on where it stopped).
            var resumed = await AllAsync(archive, rows, shape, new BatchOptions { BatchSize = 4, Epochs = 1, FirstEpoch = 1, Workers = 2 });
            Assert.Equal(one[3].Samples, resumed[0].Samples);
            // Another seed, other samples.
            var other = await AllAsync(archive, rows, shape with { Seed = 43 }, new BatchOptions { BatchSize = 4, Epochs = 1, Workers = 2 });
            Assert.NotEqual(one[0].Samples, other[0].Samples);
        }
    }

    [Fact]
    public async Task TheLastBatchIsKeptPaddedOrDroppedAndLabelsAreEncoded()
    {
        var (dir, archive, rows, _) = await SetUpAsync();
        using (dir)
        using (archive)
        {
            var shape = new ExampleShape { Length = 0.25, Crop = Reading.CropMode.Center };
            await using (var keep = await BatchReader.OpenAsync(archive, rows, shape, new BatchOptions { BatchSize = 4, Shuffle = false }))
            {
                var batches = new List<TrainingBatch>();
                await foreach (var b in keep.ReadAllAsync()) batches.Add(b);
                Assert.Equal([4, 4, 2], batches.Select(b => b.Rows));
                Assert.Equal([2, 2, 12000], batches[2].Shape);
                // Stereo stays stereo, [example, channel, frame]: channel 1 of example 0 is the recording's right channel at the crop.
                var e = batches[0].Examples[0];
                var stored = await (await archive.GetRecordingAsync(e.Row.Id)).ReadAsync(e.CropStart, 12000, [1], asFloat: true);
                var right = (float[,])stored.Samples;
                for (var i = 0; i < 12000; i++) Assert.Equal(right[i, 0], batches[0][0, 1, i]);
                var species = keep.Labels.Columns.Single(c => c.Name == "species");
                Assert.Equal(["robin", "wren"], species.Categories);
                Assert.Equal([0f, 1f, 1f, 0f, 0f, 1f, 1f, 0f], keep.Labels.MultiHot(batches[0], species));
                Assert.Equal([0.0, 0.1, 0.2, 0.3], keep.Labels.Values(batches[0], keep.Labels.Columns.Single(c => c.Name == "score")));
            }
            await using (var pad = await BatchReader.OpenAsync(archive, rows, shape, new BatchOptions { BatchSize = 4, Shuffle = false, Last = LastBatch.Pad }))
            {
                var last = (await pad.ReadAllAsync().ToListAsync()).Last();
                Assert.Equal((4, 2), (last.Rows, last.Count));
                Assert.All(last.Samples.Skip(2 * 2 * 12000), v => Assert.Equal(0f, v));
            }
            await using (var drop = await BatchReader.OpenAsync(archive, rows, shape, new BatchOptions { BatchSize = 4, Last = LastBatch.Drop, Epochs = 2 }))
                Assert.Equal(4, await drop.ReadAllAsync().CountAsync());
            Assert.Equal("BatchSize", (await Assert.ThrowsAsync<InvalidTrainingOptionException>(() =>
                BatchReader.OpenAsync(archive, rows, shape, new BatchOptions { BatchSize = 11, Last = LastBatch.Drop }))).Option);
        }
    }

    [Fact]
    public async Task RowsThatCannotFormOneBatchAreRefusedBeforeAnyRead()
    {
        var (dir, archive, rows, _) = await SetUpAsync(2);
        using (dir)
        using (archive)
        {
            var mono8k = await ExampleReaderTests.ImportAsync(archive, ExampleReaderTests.Noise(8000, 1), 8000);
            var mixed = rows.Concat(await archive.PinSegmentsAsync([new SegmentInput { Id = mono8k.Id }])).ToList();
            var shape = new ExampleShape { Length = 0.1 };
            Assert.Equal("SampleRate", (await Assert.ThrowsAsync<InvalidTrainingOptionException>(() => BatchReader.OpenAsync(archive, mixed, shape, new BatchOptions()))).Option);
            Assert.Equal("Channel", (await Assert.ThrowsAsync<InvalidTrainingOptionException>(() => BatchReader.OpenAsync(archive, mixed, shape with { SampleRate = 8000 }, new BatchOptions()))).Option);
            // Rows pinned in another archive (their fingerprints name other audio) are refused, naming them.
            using var other = await AudioArchive.MountAsync(dir.Combine("b"), "", create: true);
            await ExampleReaderTests.ImportAsync(other, ExampleReaderTests.Noise(2 * 48000, 77), 48000, channels: 2);
            await Assert.ThrowsAsync<SegmentStaleException>(() => BatchReader.OpenAsync(other, rows.Take(1).ToList(), shape, new BatchOptions()));
            Assert.Equal("Rows", (await Assert.ThrowsAsync<InvalidTrainingOptionException>(() => BatchReader.OpenAsync(archive, [], shape, new BatchOptions()))).Option);
        }
    }

    [Fact]
    public async Task AReusedBatchBufferIsNotAllocatedAgainAndDisposeStopsTheWorkers()
    {
        var (dir, archive, rows, _) = await SetUpAsync();
        using (dir)
        using (archive)
        {
            // Stereo 48 kHz crops of 1 s, 8 a batch: 3 MB of samples per batch, the bulk of what a batch costs.
            var shape = new ExampleShape { Length = 1, Seed = 1, Augmentations = [new GainStep(), new NoiseStep()] };
            var options = new BatchOptions { BatchSize = 8, Epochs = 40, Workers = 2 };
            async Task<double> PerBatchAsync(bool reuse)
            {
                await using var reader = await BatchReader.OpenAsync(archive, rows, shape, options);
                var batch = reader.CreateBatch();
                for (var i = 0; i < 5; i++) await reader.ReadNextAsync(batch); // warm-up
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < 10; i++) Assert.True(await reader.ReadNextAsync(reuse ? batch : reader.CreateBatch()));
                return (GC.GetTotalAllocatedBytes(precise: true) - before) / 10.0;
            }
            var batchBytes = 8 * 2 * 48000 * sizeof(float);
            var (reused, fresh) = (await PerBatchAsync(true), await PerBatchAsync(false));
            Assert.True(fresh - reused > 0.9 * batchBytes, $"{reused:N0} bytes a batch into a reused buffer, {fresh:N0} into new ones ({batchBytes:N0} sample bytes)");

            await using var stopped = await BatchReader.OpenAsync(archive, rows, shape, options);
            Assert.True(await stopped.ReadNextAsync(stopped.CreateBatch()));
            var stopping = stopped.DisposeAsync().AsTask();
            Assert.True(await Task.WhenAny(stopping, Task.Delay(10_000)) == stopping, "the workers did not stop");
        }
    }
}
