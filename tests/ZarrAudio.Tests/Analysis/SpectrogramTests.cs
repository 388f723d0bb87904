using System.Runtime.InteropServices;
using ZarrAudio.Analysis;
using ZarrAudio.Analysis.Pictures;
using ZarrAudio.Archive;
using ZarrAudio.Testing;

namespace ZarrAudio.Tests;

/// <summary>Spectrograms equal scipy's on tones, chirps and a field recording; a tone sits in its bin; pictures are drawn.</summary>
public class SpectrogramTests
{
    private static float[] Tone(double hz, int rate, int n, double amplitude = 0.5) =>
        Enumerable.Range(0, n).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();

    private static float[] Chirp(int rate, int n) =>
        Enumerable.Range(0, n).Select(i => { var t = i / (double)rate; return (float)(0.4 * Math.Sin(2 * Math.PI * (500 * t + 4000 * t * t))); }).ToArray();

    /// <summary>scipy's spectrogram of the same samples, [frequency, time].</summary>
    private static (double[] Values, int Rows, int Columns, double FirstTime) Scipy(TempDirectory dir, float[] x, int rate, int window, int overlap, string scaling)
    {
        var input = dir.Combine($"x{Guid.NewGuid():N}.raw");
        var output = input + ".out";
        File.WriteAllBytes(input, MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        var shape = ProcessRunner.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "reference", "spectrogram.py"), input, output,
            rate.ToString(), window.ToString(), overlap.ToString(), scaling]).Trim().Split(' ');
        var bytes = File.ReadAllBytes(output);
        return (MemoryMarshal.Cast<byte, double>(bytes).ToArray(), int.Parse(shape[0]), int.Parse(shape[1]), double.Parse(shape[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static IEnumerable<object[]> Signals() =>
    [
        ["tone", 48000, 512, 0.5, "spectrum"],
        ["chirp", 44100, 1024, 0.75, "density"],
        ["field", 32000, 256, 0.5, "spectrum"],
        ["tone", 250000, 512, 0.0, "density"],
    ];

    [Theory]
    [MemberData(nameof(Signals))]
    public void ValuesEqualScipysWithinFloatPrecision(string signal, int rate, int window, double overlap, string scaling)
    {
        using var dir = new TempDirectory();
        var x = signal switch
        {
            "tone" => Tone(rate / 7.3, rate, rate),
            "chirp" => Chirp(rate, rate),
            _ => FieldRecording(dir, rate),
        };
        var options = new SpectrogramOptions { WindowLength = window, Overlap = overlap, Scaling = scaling == "density" ? SpectrogramScaling.Density : SpectrogramScaling.Spectrum };
        var ours = SpectrogramComputer.Compute(x, rate, options);
        var (reference, rows, columns, firstTime) = Scipy(dir, x, rate, window, window - options.Hop, scaling);
        Assert.Equal([rows, columns], ours.Shape);
        Assert.Equal(firstTime, ours.Times[0], 9);
        var peak = reference.Max();
        for (var i = 0; i < reference.Length; i++)
        {
            // Relative to the loudest cell: float32 transforms against scipy's float64 agree to about 1e-6 of it.
            var error = Math.Abs(ours.Values[i] - reference[i]) / peak;
            Assert.True(error < 1e-5, $"{signal}: cell {i / columns},{i % columns}: {ours.Values[i]} vs {reference[i]} (peak {peak})");
        }
    }

    private static float[] FieldRecording(TempDirectory dir, int rate)
    {
        // The spinetail field recording of tests/data, decoded by ffmpeg at the test's rate, 2 s.
        var raw = dir.Combine("field.raw");
        ProcessRunner.Run("ffmpeg", ["-v", "error", "-i", Path.Combine(RepoPaths.Root, "tests", "data", "spinetail.wav"), "-t", "2", "-ac", "1", "-ar", rate.ToString(), "-f", "f32le", raw]);
        return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(raw)).ToArray();
    }

    [Fact]
    public void AToneLandsInItsBinAndMelBandsAndDecibelsFollowTheirDefinitions()
    {
        const int rate = 48000;
        var s = SpectrogramComputer.Compute(Tone(3000, rate, rate), rate, new SpectrogramOptions());
        Assert.Equal(257, s.Frequencies.Length);
        var column = Enumerable.Range(0, s.Frequencies.Length).Select(k => s[k, 10]).ToArray();
        var loudest = Array.IndexOf(column, column.Max());
        Assert.Equal(s.RowOf(3000), loudest);
        Assert.Equal(32, loudest); // 3000 Hz / (48000 / 512) = bin 32 exactly
        // Spectrum scaling: a sine of amplitude A holds A²/2 in its bin (a Hann window on an exact bin keeps 1/4 per side… summed: A²/2 · 0.5·… ).
        var db = SpectrogramComputer.Compute(Tone(3000, rate, rate), rate, new SpectrogramOptions { Unit = SpectrogramUnit.Decibels });
        Assert.Equal(10 * Math.Log10(s[32, 10]), db[32, 10], 4);
        var mel = SpectrogramComputer.Compute(Tone(3000, rate, rate), rate, new SpectrogramOptions { MelBands = 40 });
        Assert.Equal(40, mel.Frequencies.Length);
        var melColumn = Enumerable.Range(0, 40).Select(m => mel[m, 10]).ToArray();
        var band = Array.IndexOf(melColumn, melColumn.Max());
        Assert.True(Math.Abs(mel.Frequencies[band] - 3000) < 300, $"the loudest mel band is centred at {mel.Frequencies[band]} Hz");
        var banded = SpectrogramComputer.Compute(Tone(3000, rate, rate), rate, new SpectrogramOptions { FrequencyRange = (2000, 4000) });
        Assert.All(banded.Frequencies, f => Assert.InRange(f, 2000, 4000));
        Assert.Equal(s[32, 10], banded[banded.RowOf(3000), 10]);
        Assert.Equal("Overlap", Assert.Throws<InvalidSpectrogramOptionException>(() => SpectrogramComputer.Compute(new float[1000], rate, new SpectrogramOptions { Overlap = 1 })).Option);
        Assert.Equal("WindowLength", Assert.Throws<InvalidSpectrogramOptionException>(() => SpectrogramComputer.Compute(new float[100], rate, new SpectrogramOptions())).Option);
        Assert.Equal("FrequencyRange", Assert.Throws<InvalidSpectrogramOptionException>(() => SpectrogramComputer.Compute(new float[1000], rate, new SpectrogramOptions { FrequencyRange = (30000, 40000) })).Option);
    }

    [Fact]
    public async Task ARecordingsRangeIsDrawnAsAPngWithItsBoxes()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        const int rate = 250000;
        // A bat-like call: a 60 kHz tone burst from 0.2 s to 0.25 s in quiet noise.
        var rnd = new Random(3);
        var x = Enumerable.Range(0, rate / 2).Select(i => (float)(0.001 * (rnd.NextDouble() - 0.5) + (i is >= 50000 and < 62500 ? 0.3 * Math.Sin(2 * Math.PI * 60000.0 * i / rate) : 0))).ToArray();
        var a = new float[x.Length, 1];
        Buffer.BlockCopy(x, 0, a, 0, x.Length * 4);
        var recording = await archive.ImportSamplesAsync(a, rate, new ImportOptions { Codec = "pcm" });
        var s = await SpectrogramReader.ReadAsync(recording, 0, recording.SampleCount, null, new SpectrogramOptions { FrequencyRange = (20000, 120000) });
        var call = s.RowOf(60000);
        var inside = s[call, Array.FindIndex(s.Times, t => t > 0.22)];
        var outside = s[call, Array.FindIndex(s.Times, t => t > 0.4)];
        Assert.True(inside > 1e4 * outside, $"the call's bin holds {inside} inside the call and {outside} after it");
        var png = dir.Combine("bat.png");
        SpectrogramPicture.Save(s, new PictureOptions { Title = "bat", Boxes = [new PictureBox(0.2, 0.25, 55000, 65000, "call")] }, png);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        using var image = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((1200, 500), (image.Width, image.Height));
        var sheet = dir.Combine("sheet.png");
        SpectrogramPicture.SaveGrid([(s, new PictureOptions()), (s, new PictureOptions { ColorMap = "Magma" })], 2, sheet, 400, 300);
        using var grid = SkiaSharp.SKBitmap.Decode(sheet);
        Assert.Equal((800, 300), (grid.Width, grid.Height));
        Assert.Equal("ColorMap", Assert.Throws<InvalidSpectrogramOptionException>(() => SpectrogramPicture.Save(s, new PictureOptions { ColorMap = "nope" }, png)).Option);
    }
}
