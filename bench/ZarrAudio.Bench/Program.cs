// Benchmarks ZarrAudio against native tools in the same run and prints Markdown tables of ratios.
// Usage: dotnet run -c Release -- [--minutes N] [--hires-minutes M] [--only flac|pcm|aac|remote|requests] [--listed K]
//   remote: archives on s3rver and Azurite (started here, as the tests do), K recordings listed (default 10,000).
//   N: minutes of 48 kHz 16-bit stereo (default 60); M: minutes of 384 kHz 16-bit mono (default 5).
//   The PCM part also measures the compression candidates on the field recordings of tests/data.
using System.Diagnostics;
using System.Globalization;
using ZarrAudio.Archive;
using ZarrAudio.Bench;
using ZarrAudio.Zarr.Metadata;

if (args.Length > 0 && args[0] == "--reader") return await RemoteBenchmark.ReaderAsync(args);
if (args.Length > 0 && args[0] == "--training") return await TrainingBenchmark.RunAsync(args);
if (args.Length > 0 && args[0] == "--model") return await ModelBenchmark.RunAsync(args);
if (args.Length > 0 && args[0] == "--spectrogram") return SpectrogramBenchmark.Run(args);
var minutes = Option("--minutes", 60);
var hiresMinutes = Option("--hires-minutes", 5);
var only = Array.IndexOf(args, "--only") is var o && o >= 0 && o + 1 < args.Length ? args[o + 1] : null;
var work = Path.Combine(Path.GetTempPath(), "zarraudio-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    Console.WriteLine($"{Environment.ProcessorCount} cores; every ratio is ZarrAudio ÷ a native baseline measured in the same run.");
    if (only is null or "flac")
    {
        await new MaterialBenchmark(work, "stereo", 48000, 2, minutes * 60).RunAsync(withScaling: true);
        await new MaterialBenchmark(work, "hires", 384000, 1, hiresMinutes * 60).RunAsync(withScaling: false);
    }
    if (only is null or "pcm")
    {
        CompressionTable(work);
        await LossySourcesTable();
        await new PcmBenchmark(work, "stereo", 48000, 2, minutes * 60, isFloat: false).RunAsync();
        await new PcmBenchmark(work, "hires", 384000, 1, hiresMinutes * 60, isFloat: false).RunAsync();
        await new PcmBenchmark(work, "float", 96000, 2, Math.Max(1, minutes / 6) * 60, isFloat: true).RunAsync();
    }
    if (only is null or "aac") await new AacBenchmark(work, minutes * 60).RunAsync();
    if (only is null or "remote") await new RemoteBenchmark(work, Math.Min(minutes, 10) * 60, (int)Option("--listed", 10_000)).RunAsync();
    if (only is "requests") await new ImportRequestsBenchmark(work, (int)Option("--listed", 10_000), (int)Option("--runs", 3)).RunAsync();
}
finally
{
    Directory.Delete(work, true);
}
return 0;

// PCM compression candidates on the bench material and on real recordings (one inner chunk of about 32 KiB each).
static void CompressionTable(string work)
{
    Console.WriteLine();
    Console.WriteLine("### PCM compression candidates (size of the chunks against raw; decode time of one ~32 KiB chunk)");
    Console.WriteLine();
    Console.WriteLine("| material | candidate | size vs raw | decode per chunk | encode |");
    Console.WriteLine("|---|---|---|---|---|");
    var bench = Path.Combine(work, "candidates.wav");
    Tools.Run("sox", $"-n -r 48000 -b 16 -c 2 {bench} synth 60 pinknoise vol 0.3 synth 60 sine mix 3000-23000 vol 0.5");
    PcmCompressionCandidates.Measure("bench stereo 48 kHz int16", PcmCompressionCandidates.Decode(bench, "s16le"), ZarrAudio.Zarr.Metadata.DataType.Int16, 2, 8192);
    foreach (var (file, format, channels, type) in new[]
    {
        ("spinetail.wav", "s16le", 1, ZarrAudio.Zarr.Metadata.DataType.Int16),
        (ZarrAudio.Testing.GeneratedRecordings.EchoMeter, "s16le", 1, ZarrAudio.Zarr.Metadata.DataType.Int16),
        ("GRAS_1Pa_240819_0331.wav", "s32le", 2, ZarrAudio.Zarr.Metadata.DataType.Int32),
        ("Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav", "f32le", 1, ZarrAudio.Zarr.Metadata.DataType.Float32),
        ("20081202-07-koala-calls.mp3", "f32le", 1, ZarrAudio.Zarr.Metadata.DataType.Float32),
    })
    {
        var path = ZarrAudio.Testing.RepoPaths.TestData(file);
        var samples = PcmCompressionCandidates.Decode(path, format);
        if (type == ZarrAudio.Zarr.Metadata.DataType.Int32) samples = PcmCompressionCandidates.RightJustify24(samples);
        PcmCompressionCandidates.Measure(file, samples, type, channels, 32768 / (channels * type.Size()));
    }
}

// Lossy sources decode to float: 24-bit FLAC or float PCM? Size of each, and how far 24-bit rounding lies below the signal.
static async Task LossySourcesTable()
{
    Console.WriteLine();
    Console.WriteLine("### Lossy sources: 24-bit FLAC (Auto) or float PCM");
    Console.WriteLine();
    Console.WriteLine("| source | float PCM | 24-bit FLAC | FLAC ÷ PCM | signal ÷ rounding error (24-bit) |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var file in new[] { "20081202-07-koala-calls.mp3", "456440__inspectorj__bird-whistling-robin-single-13.hq.ogg", "HOA3_rec1_01-08ch.ogg", "fire2.mp4" })
    {
        var path = ZarrAudio.Testing.RepoPaths.TestData(file);
        using var archive = await AudioArchive.MountAsync(new ZarrAudio.Zarr.Stores.MemoryStore(), "", create: true, ownsStore: true);
        var pcm = await archive.ImportFileAsync(path, new ImportOptions { Codec = "pcm" });
        var flac = await archive.ImportFileAsync(path, new ImportOptions { Force = true });
        if (flac.Technical.Codec != "flac") throw new InvalidOperationException($"Auto stored lossy {file} as {flac.Technical.Codec}");
        var exact = (float[,])(await pcm.ReadAsync(0, pcm.SampleCount)).Samples;
        var rounded = (float[,])(await flac.ReadAsync(0, flac.SampleCount, asFloat: true)).Samples;
        double signal = 0, error = 0;
        for (var i = 0; i < exact.GetLength(0); i++)
            for (var c = 0; c < exact.GetLength(1); c++)
            {
                signal += (double)exact[i, c] * exact[i, c];
                var e = (double)exact[i, c] - rounded[i, c];
                error += e * e;
            }
        var snr = error == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / error);
        Console.WriteLine($"| {file} | {pcm.Technical.StoredBytes:N0} B | {flac.Technical.StoredBytes:N0} B | {(double)flac.Technical.StoredBytes / pcm.Technical.StoredBytes:F2}× | {snr:F0} dB |");
    }
}

double Option(string name, double fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
