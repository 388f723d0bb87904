// Benchmarks ZarrAudio against native tools in the same run and prints Markdown tables of ratios.
// Usage: dotnet run -c Release -- [--minutes N] [--hires-minutes M]
//   N: minutes of 48 kHz 16-bit stereo (default 60); M: minutes of 384 kHz 16-bit mono (default 5).
using System.Diagnostics;
using System.Globalization;
using ZarrAudio.Archive;
using ZarrAudio.Bench;

var minutes = Option("--minutes", 60);
var hiresMinutes = Option("--hires-minutes", 5);
var work = Path.Combine(Path.GetTempPath(), "zarraudio-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    Console.WriteLine($"{Environment.ProcessorCount} cores; every ratio is ZarrAudio ÷ a native baseline measured in the same run.");
    await new MaterialBenchmark(work, "stereo", 48000, 2, minutes * 60).RunAsync(withScaling: true);
    await new MaterialBenchmark(work, "hires", 384000, 1, hiresMinutes * 60).RunAsync(withScaling: false);
}
finally
{
    Directory.Delete(work, true);
}

double Option(string name, double fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
