using ZarrAudio.Archive;
using ZarrAudio.Reading;
using ZarrAudio.Segments;
using ZarrAudio.Testing;
using ZarrAudio.Training;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.Tests;

/// <summary>Training examples: crops and padding exact against the stored samples, each augmentation doing what it reports.</summary>
public class ExampleReaderTests
{
    internal static async Task<Recording> ImportAsync(AudioArchive archive, float[] samples, int rate, int channels = 1)
    {
        var frames = samples.Length / channels;
        var a = new float[frames, channels];
        Buffer.BlockCopy(samples, 0, a, 0, samples.Length * sizeof(float));
        return await archive.ImportSamplesAsync(a, rate, new ImportOptions { Codec = "pcm" });
    }

    internal static float[] Noise(int n, int seed, float level = 0.3f)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((r.NextDouble() * 2 - 1) * level)).ToArray();
    }

    private static async Task<(float[] Samples, TrainingExample Example)> ReadAsync(AudioArchive archive, ExampleShape shape, IReadOnlyList<Segment> rows, int index, long epoch = 0)
    {
        using var reader = new ExampleReader(archive, shape, rows);
        var recording = await archive.GetRecordingAsync(rows[index].Id);
        var buffer = new float[reader.FramesAt(reader.RateOf(recording)) * reader.ChannelsOf(rows[index], recording)];
        var example = await reader.ReadAsync(index, epoch, buffer, 0, planar: false, default);
        return (buffer, example);
    }

    [Fact]
    public async Task ACropHoldsTheStoredSamplesAndAShortSegmentIsPaddedAsReported()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var x = Noise(8000, 1);
        var r = await ImportAsync(archive, x, 8000);
        var rows = await archive.PinSegmentsAsync([new SegmentInput { Id = r.Id, Start = 1000, Count = 3000 }, new SegmentInput { Id = r.Id, Start = 5000, Count = 300 }]);
        foreach (var epoch in new[] { 0L, 1L, 2L })
        {
            var (y, e) = await ReadAsync(archive, new ExampleShape { Length = 0.1, Seed = 7 }, rows, 0, epoch);
            Assert.Equal(800, y.Length);
            Assert.InRange(e.CropStart, 1000, 1000 + 3000 - 800);
            Assert.Equal(x[(int)e.CropStart..(int)(e.CropStart + 800)], y);
        }
        // Random crops move with the epoch.
        var starts = new HashSet<long>();
        for (var epoch = 0; epoch < 5; epoch++) starts.Add((await ReadAsync(archive, new ExampleShape { Length = 0.1, Seed = 7 }, rows, 0, epoch)).Example.CropStart);
        Assert.True(starts.Count > 1, "five epochs drew one crop");
        foreach (var pad in new[] { PadMode.Zero, PadMode.Reflect })
        {
            var (y, e) = await ReadAsync(archive, new ExampleShape { Length = 0.1, Seed = 7, Pad = pad }, rows, 1);
            Assert.Equal(500, e.PadBefore + e.PadAfter);
            Assert.Equal(x[5000..5300], y[(int)e.PadBefore..(int)(e.PadBefore + 300)]);
            if (pad == PadMode.Zero) Assert.All(y[..(int)e.PadBefore].Concat(y[(int)(e.PadBefore + 300)..]), v => Assert.Equal(0f, v));
            else if (e.PadBefore > 0) Assert.Equal(x[5001], y[(int)e.PadBefore - 1]); // numpy's reflect: the edge is not repeated
        }
    }

    [Fact]
    public async Task EachStepDoesWhatItReports()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var x = Noise(16000, 2);
        var r = await ImportAsync(archive, x, 16000);
        var rows = await archive.PinSegmentsAsync([new SegmentInput { Id = r.Id, Start = 0, Count = 16000 }]);
        var plain = new ExampleShape { Length = 0.5, Crop = CropMode.Start };
        var (clean, _) = await ReadAsync(archive, plain, rows, 0);

        var (gained, g) = await ReadAsync(archive, plain with { Augmentations = [new GainStep { Probability = 1 }] }, rows, 0);
        var factor = (float)Math.Pow(10, g.Applied.Single().Parameters["gain_db"] / 20);
        Assert.Equal(clean.Select(v => v * factor), gained);

        var (flipped, _) = await ReadAsync(archive, plain with { Augmentations = [new PolarityStep { Probability = 1 }] }, rows, 0);
        Assert.Equal(clean.Select(v => -v), flipped);

        var (shifted, s) = await ReadAsync(archive, plain with { Augmentations = [new ShiftStep { Probability = 1 }] }, rows, 0);
        var by = (int)s.Applied.Single().Parameters["shift_samples"];
        Assert.NotEqual(0, by);
        for (var i = 0; i < clean.Length; i++) Assert.Equal(clean[i], shifted[((i + by) % clean.Length + clean.Length) % clean.Length]);

        var (masked, m) = await ReadAsync(archive, plain with { Augmentations = [new TimeMaskStep { Probability = 1, MinFraction = 0.1, MaxFraction = 0.2 }] }, rows, 0);
        var (at, length) = ((int)m.Applied.Single().Parameters["start_sample"], (int)m.Applied.Single().Parameters["samples"]);
        Assert.InRange(length, 800, 1600);
        for (var i = 0; i < clean.Length; i++) Assert.Equal(i >= at && i < at + length ? 0f : clean[i], masked[i]);

        var (noisy, n) = await ReadAsync(archive, plain with { Augmentations = [new NoiseStep { Probability = 1, MinSnrDb = 10, MaxSnrDb = 20 }] }, rows, 0);
        var snr = n.Applied.Single().Parameters["snr_db"];
        Assert.InRange(snr, 10, 20);
        var measured = 10 * Math.Log10(Power(clean) / Power(noisy.Zip(clean, (a, b) => a - b).ToArray()));
        Assert.True(Math.Abs(measured - snr) < 0.01, $"SNR {measured:0.000} dB, reported {snr:0.000} dB");

        // Silence stays silent: noise is relative to the signal.
        var silent = await ImportAsync(archive, new float[16000], 16000);
        var quiet = await archive.PinSegmentsAsync([new SegmentInput { Id = silent.Id }]);
        Assert.All((await ReadAsync(archive, plain with { Augmentations = [new NoiseStep { Probability = 1 }] }, quiet, 0)).Samples, v => Assert.Equal(0f, v));
    }

    internal static double Power(float[] v) => v.Sum(s => (double)s * s) / v.Length;

    [Fact]
    public async Task BackgroundFromTheArchiveIsAddedAtTheReportedSnrAndASilentOneIsSkipped()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var x = Noise(16000, 3);
        var r = await ImportAsync(archive, x, 16000);
        var stereoNoise = Noise(2 * 48000, 4, 0.1f); // a stereo 48 kHz site recording: read mono at the example's rate
        var site = await ImportAsync(archive, stereoNoise, 48000, channels: 2);
        var rows = await archive.PinSegmentsAsync([new SegmentInput { Id = r.Id, Start = 0, Count = 16000 }]);
        var sources = await archive.PinSegmentsAsync([new SegmentInput { Id = site.Id }]);
        var shape = new ExampleShape { Length = 0.25, Crop = CropMode.Start, Augmentations = [new BackgroundStep { Probability = 1, Sources = sources, MinSnrDb = 6, MaxSnrDb = 6 }] };
        var (mixed, e) = await ReadAsync(archive, shape, rows, 0);
        var applied = e.Applied.Single();
        Assert.Equal("Background", applied.Operation);
        var window = applied.Rows!.Single();
        Assert.Equal(site.Id, window.Id);
        Assert.Equal(12000, window.Count); // 0.25 s at 48 kHz
        var clean = x[..4000];
        var added = mixed.Zip(clean, (a, b) => a - b).ToArray();
        Assert.True(Math.Abs(10 * Math.Log10(Power(clean) / Power(added)) - 6) < 0.01);
        // The added signal is the window mixed to mono and resampled: it correlates with that, not with another window.
        var mono = Enumerable.Range(0, 12000).Select(i => (stereoNoise[2 * (window.Start + i)] + stereoNoise[2 * (window.Start + i) + 1]) / 2).ToArray();
        var expected = Reading.Resampling.SampleResampler.ReadAsync(site, window.Start, 12000, 16000, null, Reading.Resampling.ResampleQuality.High, default, mono: true).Result;
        var scale = Math.Sqrt(Power(added) / Power(Enumerable.Range(0, 4000).Select(i => expected[i, 0]).ToArray()));
        for (var i = 0; i < 4000; i++) Assert.True(Math.Abs(added[i] - expected[i, 0] * scale) < 1e-5, $"sample {i}");
        Assert.NotEmpty(mono);

        var silent = await archive.PinSegmentsAsync([new SegmentInput { Id = (await ImportAsync(archive, new float[8000], 16000)).Id }]);
        var (kept, k) = await ReadAsync(archive, shape with { Augmentations = [new BackgroundStep { Probability = 1, Sources = silent }] }, rows, 0);
        Assert.Equal(clean, kept);
        Assert.Contains("skipped", k.Applied.Single().Operation);
    }

    [Fact]
    public async Task MixingTakesAnotherRowAndSpeedScalesTheFrequency()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var a = Noise(16000, 5);
        var b = Enumerable.Range(0, 32000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0))).ToArray();
        var ra = await ImportAsync(archive, a, 16000);
        var rb = await ImportAsync(archive, b, 16000);
        var rows = await archive.PinSegmentsAsync([
            new SegmentInput { Id = ra.Id, Start = 0, Count = 16000, Labels = new Dictionary<string, object?> { ["species"] = "wren" } },
            new SegmentInput { Id = rb.Id, Start = 0, Count = 32000, Labels = new Dictionary<string, object?> { ["species"] = "tone" } }]);
        var shape = new ExampleShape { Length = 0.5, Crop = CropMode.Start, Augmentations = [new MixStep { Probability = 1 }] };
        var (mixed, e) = await ReadAsync(archive, shape, rows, 0);
        Assert.Equal(rows[1].Id, e.Mixed.Single().Id);
        Assert.Equal(["wren", "tone"], e.AllLabels.Select(l => (string)l["species"]!));
        for (var i = 0; i < 8000; i++) Assert.Equal(0.5f * a[i] + 0.5f * b[i], mixed[i], 6);

        // Speed: a 1 kHz tone read at factor f is a tone at f kHz (zero crossings over 0.5 s).
        var speed = new ExampleShape { Length = 0.5, Crop = CropMode.Start, Augmentations = [new SpeedStep { Probability = 1, MinFactor = 1.2, MaxFactor = 1.2 }] };
        var (fast, s) = await ReadAsync(archive, speed, rows, 1);
        var f = s.Applied.Single().Parameters["factor"];
        Assert.True(Math.Abs(f - 1.2) < 1e-3, $"factor {f}");
        Assert.Equal(Math.Round(0.5 * 16000 * 1.2), s.CropCount);
        var crossings = Enumerable.Range(1000, 6000).Count(i => fast[i - 1] < 0 && fast[i] >= 0);
        Assert.InRange(crossings, 6000 / 16.0 * f - 2, 6000 / 16.0 * f + 2);
    }

    [Fact]
    public async Task BadOptionsAreRefusedBeforeAnyRead()
    {
        var bad = new (ExampleShape Shape, string Option)[]
        {
            (new ExampleShape { Length = 0 }, "Length"),
            (new ExampleShape { Length = 601 }, "Length"),
            (new ExampleShape { Length = 1, SampleRate = 0 }, "SampleRate"),
            (new ExampleShape { Length = 1, SampleRate = 20_000_000 }, "SampleRate"),
            (new ExampleShape { Length = 1, Augmentations = [new NoiseStep { MinSnrDb = 30, MaxSnrDb = 3 }] }, "Noise SNR dB"),
            (new ExampleShape { Length = 1, Augmentations = [new BackgroundStep { Sources = [] }] }, "Background"),
            (new ExampleShape { Length = 1, Augmentations = [new GainStep { Probability = 2 }] }, "Gain probability"),
            (new ExampleShape { Length = 1, Augmentations = [new SpeedStep { MinFactor = 0, MaxFactor = 1 }] }, "Speed factor"),
        };
        foreach (var (shape, option) in bad)
            Assert.Equal(option, Assert.Throws<InvalidTrainingOptionException>(shape.Validate).Option);
        await Task.CompletedTask;
    }
}
