// Benchmarks ZarrAudio against native tools in the same run and prints a Markdown table of ratios.
// Usage: dotnet run -c Release -- [--minutes N]   (default 60: one hour of 48 kHz 16-bit stereo)
using System.Diagnostics;
using System.Globalization;
using ZarrAudio.Archive;
using ZarrAudio.Bench;

var minutes = args.Length >= 2 && args[0] == "--minutes" ? double.Parse(args[1], CultureInfo.InvariantCulture) : 60;
var work = Path.Combine(Path.GetTempPath(), "zarraudio-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    var wav = Path.Combine(work, "source.wav");
    var flacFile = Path.Combine(work, "source.flac");
    Run("sox", $"-n -r 48000 -b 16 -c 2 {wav} synth {minutes * 60} pinknoise vol 0.3 synth {minutes * 60} sine mix 3000-9000 vol 0.5");
    var audioSeconds = minutes * 60;

    var flacEncode = Time(() => Run("flac", $"-5 -f -s -o {flacFile} {wav}"));
    var archivePath = Path.Combine(work, "archive");
    using var archive = await AudioArchive.MountAsync(archivePath, "", create: true);
    var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
    Recording? recording = null;
    var import = await TimeAsync(async () => recording = await archive.ImportFileAsync(wav));
    var peakImport = Process.GetCurrentProcess().PeakWorkingSet64;
    var stored = Directory.EnumerateFiles(archivePath, "*", SearchOption.AllDirectories).Where(f => f.Contains("flac0")).Sum(f => new FileInfo(f).Length);
    var objects = Directory.EnumerateFiles(archivePath, "*", SearchOption.AllDirectories).Count();

    var random = new Random(1);
    var n = recording!.SampleCount;
    double[] Reads(Action<long, long> read, long count, int iterations)
    {
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = random.NextInt64(n - count);
            var sw = Stopwatch.StartNew();
            read(start, count);
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times;
    }
    var buffer = new short[480000 * 2];
    void Ours(long s, long c) => recording.ReadInto<short>(s, c, buffer);
    using var native = new NativeSeekBaseline(flacFile);
    Reads(Ours, 4800, 200); Reads(native.Read, 4800, 200); // warm-up
    var ours100 = Reads(Ours, 4800, 2000);
    var native100 = Reads(native.Read, 4800, 2000);
    var ours10s = Reads(Ours, 480000, 100);
    var native10s = Reads(native.Read, 480000, 100);
    var ffmpeg100 = Reads((s, c) => Run("ffmpeg", $"-v error -ss {s / 48000.0:F4} -i {flacFile} -t 0.1 -f s16le -y /dev/null"), 4800, 20);

    var flacDecode = Time(() => Run("flac", $"-d -f -s -o {Path.Combine(work, "decoded.wav")} {flacFile}"));
    var full = Stopwatch.StartNew();
    for (long s = 0; s < n; s += 480000) recording.ReadInto<short>(s, Math.Min(480000, n - s), buffer);
    var oursFull = full.Elapsed.TotalSeconds;

    var scaling = ParallelScaling(recording, n);

    static double Median(double[] t) => t[t.Length / 2];
    static double P95(double[] t) => t[(int)(t.Length * 0.95)];
    var rows = new List<string>
    {
        $"| what | ZarrAudio | native baseline (same run) | ratio | target |",
        $"|---|---|---|---|---|",
        $"| 100 ms random read, median | {Median(ours100):F3} ms | libFLAC seek_absolute {Median(native100):F3} ms | {Median(ours100) / Median(native100):F2}× | ≤ 0.8× |",
        $"| 100 ms random read, p95 | {P95(ours100):F3} ms | {P95(native100):F3} ms | {P95(ours100) / P95(native100):F2}× | |",
        $"| 100 ms read vs ffmpeg -ss (process) | {Median(ours100):F3} ms | {Median(ffmpeg100):F1} ms | {Median(ours100) / Median(ffmpeg100):F4}× | |",
        $"| 10 s random read, median | {Median(ours10s):F2} ms | {Median(native10s):F2} ms | {Median(ours10s) / Median(native10s):F2}× | ≤ 1.1× |",
        $"| 10 s random read, p95 | {P95(ours10s):F2} ms | {P95(native10s):F2} ms | {P95(ours10s) / P95(native10s):F2}× | |",
        $"| full sequential decode | {audioSeconds / oursFull:F0}× real time | flac -d {audioSeconds / flacDecode:F0}× | {flacDecode / oursFull:F2}× | ≥ 1.0× |",
        $"| import from WAV, level 5 | {audioSeconds / import:F0}× real time | flac -5 {audioSeconds / flacEncode:F0}× | {flacEncode / import:F2}× | ≥ 0.9× |",
        $"| archive size | {stored:N0} B | .flac {new FileInfo(flacFile).Length:N0} B | {(double)stored / new FileInfo(flacFile).Length:F4}× | ≤ 1.01× |",
        $"| store objects for the recording | {objects} | | | ≤ ~100 |",
        $"| read scaling, 2 threads (100 ms reads) | {scaling:F2}× | | | ≥ 1.9× |",
        $"| peak working set while importing | {peakImport / 1048576.0:F0} MB (before: {peakBefore / 1048576.0:F0} MB) | | | < 300 MB |",
    };
    Console.WriteLine($"Material: {minutes} min of 48 kHz 16-bit stereo (pink noise + sweep), {Environment.ProcessorCount} cores.");
    foreach (var row in rows) Console.WriteLine(row);
}
finally
{
    Directory.Delete(work, true);
}

static double ParallelScaling(Recording recording, long n)
{
    const int Reads = 4000;
    double RunWith(int threads)
    {
        var sw = Stopwatch.StartNew();
        Parallel.For(0, threads, t =>
        {
            var buffer = new short[4800 * 2];
            var r = new Random(t);
            for (var i = 0; i < Reads; i++) recording.ReadInto<short>(r.NextInt64(n - 4800), 4800, buffer);
        });
        return threads * Reads / sw.Elapsed.TotalSeconds;
    }
    RunWith(1);
    return RunWith(2) / RunWith(1);
}

static void Run(string file, string arguments)
{
    using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
    var err = p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments}: {err}");
}

static double Time(Action action)
{
    var sw = Stopwatch.StartNew();
    action();
    return sw.Elapsed.TotalSeconds;
}

static async Task<double> TimeAsync(Func<Task> action)
{
    var sw = Stopwatch.StartNew();
    await action();
    return sw.Elapsed.TotalSeconds;
}
