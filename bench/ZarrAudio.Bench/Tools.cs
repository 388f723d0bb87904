using System.Diagnostics;
using ZarrAudio.Archive;

namespace ZarrAudio.Bench;

/// <summary>Running the native tools and timing work.</summary>
internal static class Tools
{
    public static void Run(string file, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments}: {err}");
    }

    public static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var sw = Stopwatch.StartNew();
        await action();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>The same random ranges read by both, alternating (so drift in machine load hits both alike), each timed on its own; sorted.</summary>
    public static (double[] A, double[] B) Paired(Random random, Action<long, long> a, Action<long, long> b, long count, long n, int iterations)
    {
        var ta = new double[iterations];
        var tb = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = random.NextInt64(n - count);
            var sw = Stopwatch.StartNew();
            a(start, count);
            ta[i] = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            b(start, count);
            tb[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(ta);
        Array.Sort(tb);
        return (ta, tb);
    }

    /// <summary>Reads per second with two threads against one (best of two runs each), 100 ms reads of 16-bit samples.</summary>
    public static double ReadScaling(Recording recording, long n, int count, int channels)
    {
        const int ReadsPerThread = 4000;
        double RunWith(int threads)
        {
            var sw = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var buffer = new short[count * channels];
                var r = new Random(t);
                for (var i = 0; i < ReadsPerThread; i++) recording.ReadInto<short>(r.NextInt64(n - count), count, buffer);
            });
            return threads * ReadsPerThread / sw.Elapsed.TotalSeconds;
        }
        RunWith(2);
        var one = Math.Max(RunWith(1), RunWith(1));
        var two = Math.Max(RunWith(2), RunWith(2));
        return two / one;
    }
}
