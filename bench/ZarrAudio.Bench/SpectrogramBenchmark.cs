using System.Diagnostics;
using System.Runtime.InteropServices;
using ZarrAudio.Analysis;

namespace ZarrAudio.Bench;

/// <summary>
/// The C# side of bench/spectrogram.bench.ps1: the spectrogram of raw float32 mono samples (the same file scipy reads),
/// 512-sample Hann window, 50 % overlap, spectrum scaling. Args: --spectrogram FILE RATE RUNS. Prints seconds per run.
/// </summary>
internal static class SpectrogramBenchmark
{
    public static int Run(string[] args)
    {
        var (file, rate, runs) = (args[1], int.Parse(args[2]), int.Parse(args[3]));
        var samples = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(file)).ToArray();
        SpectrogramComputer.Compute(samples.AsSpan(0, rate), rate, new SpectrogramOptions()); // warm-up: FFTW plan, JIT
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var s = SpectrogramComputer.Compute(samples, rate, new SpectrogramOptions());
            Console.WriteLine($"{watch.Elapsed.TotalSeconds:0.0000} {s.Shape[0]}x{s.Shape[1]}");
        }
        return 0;
    }
}
