using System.Diagnostics;
using ZarrAudio.Archive;

namespace ZarrAudio.Bench;

/// <summary>
/// The PCM codec against FLAC on the same material, in one run: 100 ms and 10 s random reads of the same ranges,
/// stored size against raw samples and against FLAC, and import time against flac -5 of the same file.
/// </summary>
internal sealed class PcmBenchmark(string work, string name, int rate, int channels, double seconds, bool isFloat)
{
    private readonly Random _random = new(7);

    public async Task RunAsync()
    {
        var wav = Path.Combine(work, $"pcm-{name}.wav");
        var encoding = isFloat ? "-e floating-point -b 32" : "-b 16";
        var sweepTop = Math.Min(rate / 2 - 1000, 60000);
        Tools.Run("sox", $"-n -r {rate} {encoding} -c {channels} {wav} synth {seconds} pinknoise vol 0.3 synth {seconds} sine mix 3000-{sweepTop} vol 0.5");
        var raw = new FileInfo(wav).Length - 44;

        var archivePath = Path.Combine(work, $"pcm-{name}-archive");
        using var archive = await AudioArchive.MountAsync(archivePath, "", create: true);
        var warm = Path.Combine(work, $"pcm-{name}-warm.wav");
        Tools.Run("sox", $"-n -r {rate} {encoding} -c {channels} {warm} synth 2 pinknoise");
        await archive.ImportFileAsync(warm, new ImportOptions { Codec = "pcm" });

        // flac -5 only takes integers: for the float source FLAC is 24-bit, quantised (what -Codec Flac stores).
        double? flacEncode = null;
        if (!isFloat) flacEncode = Tools.Time(() => Tools.Run("flac", $"-5 -f -s -o {Path.Combine(work, $"pcm-{name}.flac")} {wav}"));
        Recording? pcm = null, flac = null;
        var pcmImport = await Tools.TimeAsync(async () => pcm = await archive.ImportFileAsync(wav, new ImportOptions { Codec = "pcm" }));
        var flacImport = await Tools.TimeAsync(async () => flac = await archive.ImportFileAsync(wav, new ImportOptions { Codec = "flac", Force = true }));
        var pcmSize = pcm!.Technical.StoredBytes;
        var flacSize = flac!.Technical.StoredBytes;
        var objects = Directory.EnumerateFiles(Path.Combine(archivePath, pcm.Id.ToString()), "*", SearchOption.AllDirectories).Count();

        var n = pcm.SampleCount;
        var tenth = rate / 10;
        var pcmBuffer = new float[rate * 10 * channels];
        var flacBuffer = new float[rate * 10 * channels];
        void Pcm(long s, long c) => pcm.ReadInto<float>(s, c, pcmBuffer);
        void Flac(long s, long c) => flac.ReadInto<float>(s, c, flacBuffer);
        Paired(Pcm, Flac, tenth, n, 300); // warm-up
        var (pcm100, flac100) = Paired(Pcm, Flac, tenth, n, 2000);
        var (pcm10s, flac10s) = Paired(Pcm, Flac, rate * 10L, n, 60);
        // The same samples from both, or the comparison means nothing (the float source: FLAC holds it rounded to 24 bits).
        Pcm(4242, tenth); Flac(4242, tenth);
        var worst = 0.0;
        for (var i = 0; i < tenth * channels; i++) worst = Math.Max(worst, Math.Abs(pcmBuffer[i] - flacBuffer[i]));
        if (worst > (isFloat ? 1.0 / (1 << 23) : 0)) throw new InvalidOperationException($"PCM and FLAC reads differ by {worst}");

        Console.WriteLine();
        Console.WriteLine($"### PCM vs FLAC: {seconds / 60:0.#} min of {rate / 1000.0:0.#} kHz {(isFloat ? "32-bit float" : "16-bit")} {(channels == 1 ? "mono" : "stereo")} (pink noise + sweep)");
        Console.WriteLine();
        Console.WriteLine("| what | PCM | baseline (same run) | ratio | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| 100 ms random read, median (float output) | {Tools.Median(pcm100):F3} ms | FLAC {Tools.Median(flac100):F3} ms | {Tools.Median(pcm100) / Tools.Median(flac100):F2}× | ≤ 0.5× |");
        Console.WriteLine($"| 10 s random read, median | {Tools.Median(pcm10s):F2} ms | FLAC {Tools.Median(flac10s):F2} ms | {Tools.Median(pcm10s) / Tools.Median(flac10s):F2}× | |");
        Console.WriteLine($"| stored size vs raw samples | {pcmSize:N0} B | raw {raw:N0} B | {(double)pcmSize / raw:F3}× | ≤ 0.85× |");
        Console.WriteLine($"| stored size vs FLAC{(isFloat ? " (24-bit, quantised)" : "")} | | FLAC {flacSize:N0} B | {(double)pcmSize / flacSize:F2}× | |");
        if (flacEncode is { } f)
            Console.WriteLine($"| import from WAV | {seconds / pcmImport:F0}× real time | flac -5 {seconds / f:F0}× | {f / pcmImport:F2}× | |");
        else
            Console.WriteLine($"| import from WAV | {seconds / pcmImport:F0}× real time | -Codec Flac (24-bit) {seconds / flacImport:F0}× | {flacImport / pcmImport:F2}× | |");
        Console.WriteLine($"| store objects for the recording | {objects} | | | ≤ ~100 |");
    }

    private (double[] A, double[] B) Paired(Action<long, long> a, Action<long, long> b, long count, long n, int iterations) =>
        Tools.Paired(_random, a, b, count, n, iterations);
}
