using ZarrAudio.Analysis.Models;
using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Testing;

namespace ZarrAudio.Tests;

/// <summary>Real ONNX models built by onnx.helper run over recordings: detections land where the calls are; models that do not fit are refused.</summary>
public class AudioModelTests
{
    internal static string MakeModel(TempDirectory dir, params string[] args)
    {
        var path = dir.Combine($"{args[0]}-{Guid.NewGuid():N}.onnx");
        ProcessRunner.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "reference", "make_models.py"), args[0], path, .. args[1..]]);
        return path;
    }

    /// <summary>10 s at 48 kHz stereo: quiet noise, a 2 kHz call at 3–4 s (left channel only) and a 5 kHz call at 7–7.5 s.</summary>
    private static float[,] Calls()
    {
        const int rate = 48000;
        var rnd = new Random(5);
        var x = new float[10 * rate, 2];
        for (var i = 0; i < x.GetLength(0); i++)
        {
            var t = i / (double)rate;
            var noise = (float)(0.002 * (rnd.NextDouble() - 0.5));
            var a = t is >= 3 and < 4 ? 0.4 * Math.Sin(2 * Math.PI * 2000 * t) : 0;
            var b = t is >= 7 and < 7.5 ? 0.3 * Math.Sin(2 * Math.PI * 5000 * t) : 0;
            x[i, 0] = (float)(noise + a + b);
            x[i, 1] = (float)(noise + b);
        }
        return x;
    }

    [Fact]
    public async Task ADetectorFindsTheCallsWhereTheyAreThroughResamplingAndBatches()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var recording = await archive.ImportSamplesAsync(Calls(), 48000, new ImportOptions { Codec = "pcm" });
        var options = new AudioModelOptions
        {
            ModelPath = MakeModel(dir, "tone", "16000", "2000", "5000"), Labels = ["low", "high"], SampleRate = 16000,
            WindowSeconds = 1, HopSeconds = 0.5, BatchSize = 3, Threshold = 0.5,
        };
        using var model = new AudioModel(options);
        using var runner = new ModelRunner(archive, model, options);
        var spans = await archive.PinSegmentsAsync([new SegmentInput { Id = recording.Id }]);
        var found = new List<Detection>();
        await foreach (var d in runner.DetectAsync(spans)) found.Add(d);
        // Windows start every 0.5 s and last 1 s: the 2 kHz call (3–4 s) is in the windows from 2.5, 3 and 3.5 s.
        Assert.Equal([2.5, 3.0, 3.5], found.Where(d => d.Label == "low").Select(d => d.StartSeconds));
        Assert.Equal([6.5, 7.0], found.Where(d => d.Label == "high").Select(d => d.StartSeconds));
        Assert.All(found, d => Assert.Equal(48000, d.Count));
        Assert.All(found, d => Assert.InRange(d.Score, 0.5, 1));
        // The right channel alone has no 2 kHz call.
        var right = options with { Channels = [1] };
        using var runnerRight = new ModelRunner(archive, model, right);
        var rightFound = new List<Detection>();
        await foreach (var d in runnerRight.DetectAsync(spans)) rightFound.Add(d);
        Assert.DoesNotContain(rightFound, d => d.Label == "low");
        Assert.Contains(rightFound, d => d.Label == "high");
    }

    [Fact]
    public async Task AModelOfMelSpectrogramsFindsTheSameCalls()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var recording = await archive.ImportSamplesAsync(Calls(), 48000, new ImportOptions { Codec = "pcm" });
        var spectrogram = new Analysis.SpectrogramOptions { MelBands = 64, Unit = Analysis.SpectrogramUnit.Decibels };
        var options = new AudioModelOptions
        {
            ModelPath = MakeModel(dir, "mel", "16000", "2000", "5000", "64"), Labels = ["low", "high"], SampleRate = 16000,
            WindowSeconds = 1, HopSeconds = 0.5, BatchSize = 4, Spectrogram = spectrogram,
        };
        using var model = new AudioModel(options);
        Assert.Equal([64, 61], model.FeatureShape);
        using var runner = new ModelRunner(archive, model, options);
        var found = new List<Detection>();
        await foreach (var d in runner.DetectAsync(await archive.PinSegmentsAsync([new SegmentInput { Id = recording.Id }]))) found.Add(d);
        Assert.Equal([2.5, 3.0, 3.5], found.Where(d => d.Label == "low").Select(d => d.StartSeconds));
        Assert.Equal([6.5, 7.0], found.Where(d => d.Label == "high").Select(d => d.StartSeconds));
        // Spectrograms of another shape than the model takes are refused.
        Assert.Contains("spectrograms of 1 s windows are [batch, 40, 61]", Assert.Throws<InvalidModelException>(() => new AudioModel(options with { Spectrogram = spectrogram with { MelBands = 40 } })).Message);
    }

    [Fact]
    public void ModelsThatDoNotFitAreRefusedBeforeAnyRead()
    {
        using var dir = new TempDirectory();
        var tone = MakeModel(dir, "tone", "16000", "2000", "5000");
        Assert.Contains("labels name 3 classes", Assert.Throws<InvalidModelException>(() => new AudioModel(new AudioModelOptions { ModelPath = tone, SampleRate = 16000, WindowSeconds = 1, Labels = ["a", "b", "c"] })).Message);
        Assert.Contains("give the window's length", Assert.Throws<InvalidModelException>(() => new AudioModel(new AudioModelOptions { ModelPath = tone, SampleRate = 16000 })).Message);
        var cnn = MakeModel(dir, "cnn", "48000", "4");
        Assert.Contains("windows of 48000 samples", Assert.Throws<InvalidModelException>(() => new AudioModel(new AudioModelOptions { ModelPath = cnn, SampleRate = 48000, WindowSeconds = 0.5 })).Message);
        using (var fits = new AudioModel(new AudioModelOptions { ModelPath = cnn, SampleRate = 48000 })) Assert.Equal(48000, fits.WindowSamples);
        Assert.Throws<FileNotFoundException>(() => new AudioModel(new AudioModelOptions { ModelPath = dir.Combine("none.onnx"), SampleRate = 16000 }));
        File.WriteAllText(dir.Combine("junk.onnx"), "not a model");
        Assert.Throws<InvalidModelException>(() => new AudioModel(new AudioModelOptions { ModelPath = dir.Combine("junk.onnx"), SampleRate = 16000, WindowSeconds = 1 }));
    }
}
