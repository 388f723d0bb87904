using System.Diagnostics;
using ZarrAudio.Archive;

namespace ZarrAudio.Bench;

/// <summary>
/// One piece of material (made by sox), encoded by flac -5 and imported by ZarrAudio, then every figure of
/// the performance table: random reads vs libFLAC seek_absolute and ffmpeg -ss, full decode vs flac -d,
/// import vs flac -5 (one file and two at once), size, store objects, 2-thread read scaling, peak memory.
/// </summary>
internal sealed class MaterialBenchmark(string work, string name, int rate, int channels, double seconds)
{
    private readonly Random _random = new(1);

    public async Task RunAsync(bool withScaling)
    {
        var wav = Path.Combine(work, name + ".wav");
        var flacFile = Path.Combine(work, name + ".flac");
        var sweepTop = Math.Min(rate / 2 - 1000, 60000);
        Tools.Run("sox", $"-n -r {rate} -b 16 -c {channels} {wav} synth {seconds} pinknoise vol 0.3 synth {seconds} sine mix 3000-{sweepTop} vol 0.5");

        var flacEncode = Tools.Time(() => Tools.Run("flac", $"-5 -f -s -o {flacFile} {wav}"));
        var archivePath = Path.Combine(work, name + "-archive");
        using var archive = await AudioArchive.MountAsync(archivePath, "", create: true);
        // A short import first, so the timed one runs warm (JIT, ffmpeg/ffprobe binaries cached), as in a batch.
        var warm = Path.Combine(work, name + "-warm.wav");
        Tools.Run("sox", $"-n -r {rate} -b 16 -c {channels} {warm} synth 2 pinknoise");
        await archive.ImportFileAsync(warm);
        var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
        Recording? recording = null;
        var import = await Tools.TimeAsync(async () => recording = await archive.ImportFileAsync(wav));
        var peakImport = Process.GetCurrentProcess().PeakWorkingSet64;
        if (recording!.SampleCount != (long)Math.Round(seconds * rate))
            throw new InvalidOperationException($"Imported {recording.SampleCount} samples, the source has {(long)Math.Round(seconds * rate)}");
        var recordingDir = Path.Combine(archivePath, recording!.Id.ToString());
        var stored = Directory.EnumerateFiles(recordingDir, "*", SearchOption.AllDirectories).Where(f => f.Contains("flac0")).Sum(f => new FileInfo(f).Length);
        var objects = Directory.EnumerateFiles(recordingDir, "*", SearchOption.AllDirectories).Count();

        // Two imports at once vs one: a copy of the WAV (a different hash) imported beside the original.
        var copy = Path.Combine(work, name + "-copy.wav");
        File.Copy(wav, copy, true);
        var copy2 = Path.Combine(work, name + "-copy2.wav");
        File.Copy(wav, copy2, true);
        await using (var appended = new FileStream(copy, FileMode.Append)) appended.WriteByte(0);
        await using (var appended = new FileStream(copy2, FileMode.Append)) appended.WriteByte(1);
        var twoAtOnce = await Tools.TimeAsync(() => Task.WhenAll(
            Task.Run(() => archive.ImportFileAsync(copy)), Task.Run(() => archive.ImportFileAsync(copy2))));
        var importScaling = 2 * import / twoAtOnce;

        var n = recording.SampleCount;
        var tenth = rate / 10;
        var buffer = new short[rate * 10 * channels];
        var nativeBuffer = new short[rate * 10 * channels];
        void Ours(long s, long c) => recording.ReadInto<short>(s, c, buffer);
        using var native = new NativeSeekBaseline(flacFile);
        void Native(long s, long c) => native.Read(s, c, nativeBuffer, channels);
        Reads(Ours, tenth, n, 200); Reads(Native, tenth, n, 200); // warm-up
        // Both paths must deliver the same samples, or the comparison means nothing.
        Ours(123_457, tenth); Native(123_457, tenth);
        if (!buffer.AsSpan(0, tenth * channels).SequenceEqual(nativeBuffer.AsSpan(0, tenth * channels)))
            throw new InvalidOperationException("ZarrAudio and libFLAC seek_absolute disagree");
        // Interleave the two so that drift in machine load hits both alike.
        var (ours100, native100) = Paired(Ours, Native, tenth, n, 2000);
        // flac -5 writes a SEEKTABLE (a point every 10 s), which makes seek_absolute nearly free. Many FLAC
        // files from other tools have none; there libFLAC bisects the file.
        var bareFlac = Path.Combine(work, name + "-noseektable.flac");
        Tools.Run("flac", $"-5 --no-seektable -f -s -o {bareFlac} {wav}");
        using var bare = new NativeSeekBaseline(bareFlac);
        var (_, bare100) = Paired(Ours, (s, c) => bare.Read(s, c, nativeBuffer, channels), tenth, n, 1000);
        var (ours10s, native10s) = Paired(Ours, Native, rate * 10L, n, 100);
        var ffmpeg100 = Reads((s, c) => Tools.Run("ffmpeg", $"-v error -ss {(double)s / rate:F6} -i {flacFile} -t 0.1 -f s16le -y /dev/null"), tenth, n, 20);

        var flacDecode = Tools.Time(() => Tools.Run("flac", $"-d -f -s -o {Path.Combine(work, name + "-decoded.wav")} {flacFile}"));
        var full = Stopwatch.StartNew();
        for (long s = 0; s < n; s += rate * 10L) recording.ReadInto<short>(s, Math.Min(rate * 10L, n - s), buffer);
        var oursFull = full.Elapsed.TotalSeconds;

        var readScaling = withScaling ? Tools.ReadScaling(recording, n, tenth, channels) : double.NaN;

        static double P95(double[] t) => t[(int)(t.Length * 0.95)];
        var flacSize = new FileInfo(flacFile).Length;
        Console.WriteLine();
        Console.WriteLine($"### {seconds / 60:0.#} min of {rate / 1000.0:0.#} kHz 16-bit {(channels == 1 ? "mono" : "stereo")} (pink noise + sweep)");
        Console.WriteLine();
        Console.WriteLine("| what | ZarrAudio | native baseline (same run) | ratio | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| 100 ms random read, median | {Tools.Median(ours100):F3} ms | libFLAC seek_absolute {Tools.Median(native100):F3} ms | {Tools.Median(ours100) / Tools.Median(native100):F2}× | ≤ 0.8× |");
        Console.WriteLine($"| 100 ms random read, p95 | {P95(ours100):F3} ms | {P95(native100):F3} ms | {P95(ours100) / P95(native100):F2}× | |");
        Console.WriteLine($"| 100 ms random read vs a .flac without SEEKTABLE, median | {Tools.Median(ours100):F3} ms | seek_absolute {Tools.Median(bare100):F3} ms | {Tools.Median(ours100) / Tools.Median(bare100):F2}× | |");
        Console.WriteLine($"| 100 ms read vs ffmpeg -ss (process) | {Tools.Median(ours100):F3} ms | {Tools.Median(ffmpeg100):F1} ms | {Tools.Median(ours100) / Tools.Median(ffmpeg100):F4}× | |");
        Console.WriteLine($"| 10 s random read, median | {Tools.Median(ours10s):F2} ms | {Tools.Median(native10s):F2} ms | {Tools.Median(ours10s) / Tools.Median(native10s):F2}× | ≤ 1.1× |");
        Console.WriteLine($"| 10 s random read, p95 | {P95(ours10s):F2} ms | {P95(native10s):F2} ms | {P95(ours10s) / P95(native10s):F2}× | |");
        Console.WriteLine($"| full sequential decode | {seconds / oursFull:F0}× real time | flac -d {seconds / flacDecode:F0}× | {flacDecode / oursFull:F2}× | ≥ 1.0× |");
        Console.WriteLine($"| import from WAV, level 5 | {seconds / import:F0}× real time | flac -5 {seconds / flacEncode:F0}× | {flacEncode / import:F2}× | ≥ 0.9× |");
        Console.WriteLine($"| two imports at once vs one | {importScaling:F2}× the throughput | | | ≥ 1.8× |");
        Console.WriteLine($"| archive size | {stored:N0} B | .flac {flacSize:N0} B | {(double)stored / flacSize:F4}× | ≤ 1.01× |");
        Console.WriteLine($"| store objects for the recording | {objects} | | | ≤ ~100 |");
        if (withScaling) Console.WriteLine($"| read scaling, 2 threads (100 ms reads) | {readScaling:F2}× | | | ≥ 1.9× |");
        Console.WriteLine($"| peak working set while importing | {peakImport / 1048576.0:F0} MB (before: {peakBefore / 1048576.0:F0} MB) | | | < 300 MB |");
    }

    private double[] Reads(Action<long, long> read, long count, long n, int iterations)
    {
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = _random.NextInt64(n - count);
            var sw = Stopwatch.StartNew();
            read(start, count);
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times;
    }

    private (double[] Ours, double[] Native) Paired(Action<long, long> ours, Action<long, long> native, long count, long n, int iterations) =>
        Tools.Paired(_random, ours, native, count, n, iterations);
}
