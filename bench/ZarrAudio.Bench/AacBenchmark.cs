using System.Diagnostics;
using System.Globalization;
using ZarrAudio.Archive;
using ZarrAudio.Zarr;

namespace ZarrAudio.Bench;

/// <summary>
/// AAC against its natives in one run: 100 ms random reads and a full decode against a C program using fdk-aac on the
/// same stored access units with the same pre-roll (bench/native/aac_seek.c, built here with gcc), encoding against
/// ffmpeg's AAC encoder at the same bitrate, size against flac -5, and two-thread read scaling.
/// </summary>
internal sealed class AacBenchmark(string work, double seconds)
{
    public async Task RunAsync()
    {
        const int rate = 48_000, channels = 2;
        var wav = Path.Combine(work, "aac.wav");
        Tools.Run("sox", $"-n -r {rate} -b 16 -c {channels} {wav} synth {seconds} pinknoise vol 0.3 synth {seconds} sine mix 3000-23000 vol 0.5");
        var native = Path.Combine(work, "aac_seek");
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../native/aac_seek.c"));
        Tools.Run("gcc", $"-O2 -o {native} {source} -lfdk-aac");

        var archivePath = Path.Combine(work, "aac-archive");
        using var archive = await AudioArchive.MountAsync(archivePath, "", create: true);
        var warm = Path.Combine(work, "aac-warm.wav");
        Tools.Run("sox", $"-n -r {rate} -b 16 -c {channels} {warm} synth 2 pinknoise");
        await archive.ImportFileAsync(warm, new ImportOptions { Codec = "aac" });
        Recording? recording = null;
        var import = await Tools.TimeAsync(async () => recording = await archive.ImportFileAsync(wav, new ImportOptions { Codec = "aac" }));
        var bitrate = recording!.Technical.Extension("aac")!["bitrate"]!.GetValue<long>();
        var ffmpegEncode = Tools.Time(() => Tools.Run("ffmpeg", $"-v error -y -i {wav} -c:a aac -b:a {bitrate} {Path.Combine(work, "aac-ffmpeg.m4a")}"));
        var flacFile = Path.Combine(work, "aac-ref.flac");
        Tools.Run("flac", $"-5 -f -s -o {flacFile} {wav}");

        // The stored units and their offsets, as files the C program reads with pread.
        var units = await ZarrArray.OpenAsync(archive.Store, $"{recording.Id}/aac0");
        var unitsFile = Path.Combine(work, "aac-units.bin");
        await using (var f = File.Create(unitsFile))
            for (long at = 0; at < units.Shape[0]; at += 1 << 24)
                await f.WriteAsync(await units.ReadRegionAsync([at], [Math.Min(1 << 24, units.Shape[0] - at)]));
        var index = await ZarrArray.OpenAsync(archive.Store, $"{recording.Id}/frames0");
        var pairs = await index.ReadAsync<long>([0, 0], index.Shape);
        var indexFile = Path.Combine(work, "aac-index.bin");
        await File.WriteAllBytesAsync(indexFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Enumerable.Range(0, pairs.Length / 2).Select(i => pairs[2 * i]).ToArray().AsSpan()).ToArray());
        var asc = Convert.ToHexString(Convert.FromBase64String(units.Attributes["audio_specific_config"]!.GetValue<string>()));
        var delay = units.Attributes["delay"]!.GetValue<int>();
        string Native(long count, int reads) => Output(native, $"{unitsFile} {indexFile} {asc} {channels} {delay} {recording.SampleCount} {count} {reads} 1");

        var n = recording.SampleCount;
        var tenth = rate / 10;
        var buffer = new short[rate * 10 * channels];
        var random = new Random(3);
        double[] Ours(long count, int reads)
        {
            var times = new double[reads];
            for (var i = 0; i < reads; i++)
            {
                var start = random.NextInt64(n - count);
                var sw = Stopwatch.StartNew();
                recording.ReadInto<short>(start, count, buffer);
                times[i] = sw.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            return times;
        }
        Ours(tenth, 300); Native(tenth, 300); // warm-up
        var ours100 = Ours(tenth, 2000);
        var native100 = Native(tenth, 2000).Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var full = Stopwatch.StartNew();
        for (long s = 0; s < n; s += rate * 10L) recording.ReadInto<short>(s, Math.Min(rate * 10L, n - s), buffer);
        var oursFull = full.Elapsed.TotalSeconds;
        var nativeFull = double.Parse(Native(0, 1), CultureInfo.InvariantCulture);
        var scaling = Tools.ReadScaling(recording, n, tenth, channels);

        Console.WriteLine();
        Console.WriteLine($"### AAC: {seconds / 60:0.#} min of 48 kHz 16-bit stereo (pink noise + sweep), default bitrate {bitrate / 1000} kbit/s");
        Console.WriteLine();
        Console.WriteLine("| what | ZarrAudio | native baseline (same run) | ratio | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| 100 ms random read, median | {ours100[ours100.Length / 2]:F3} ms | fdk-aac in C, same units and pre-roll {native100[0]:F3} ms | {ours100[ours100.Length / 2] / native100[0]:F2}× | ≤ 1.2× |");
        Console.WriteLine($"| 100 ms random read, p95 | {ours100[(int)(ours100.Length * 0.95)]:F3} ms | {native100[1]:F3} ms | {ours100[(int)(ours100.Length * 0.95)] / native100[1]:F2}× | |");
        Console.WriteLine($"| full sequential decode | {seconds / oursFull:F0}× real time | C {seconds / nativeFull:F0}× | {nativeFull / oursFull:F2}× | |");
        Console.WriteLine($"| import from WAV (encode) | {seconds / import:F0}× real time | ffmpeg -c:a aac -b:a {bitrate / 1000}k {seconds / ffmpegEncode:F0}× | {ffmpegEncode / import:F2}× | |");
        Console.WriteLine($"| stored size | {recording.Technical.StoredBytes:N0} B | flac -5 {new FileInfo(flacFile).Length:N0} B | {(double)recording.Technical.StoredBytes / new FileInfo(flacFile).Length:F3}× | |");
        Console.WriteLine($"| read scaling, 2 threads (100 ms reads) | {scaling:F2}× | | | ≥ 1.9× |");
    }

    private static string Output(string file, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments}: {error}");
        return output.Trim();
    }
}
