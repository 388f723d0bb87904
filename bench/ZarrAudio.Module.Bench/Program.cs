// Benchmarks the module as users drive it: script text in a runspace that imports ZarrAudio.psd1.
// Usage: dotnet run -c Release -- [--recordings N] [--references N]   (defaults 10,000 and 5,000)
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ZarrAudio.Bench;

var recordings = Option("--recordings", 10_000);
var references = Option("--references", 5_000);
var root = FindRoot();
var manifest = Path.Combine(root, "ZarrAudio.psd1");
var work = Path.Combine(Path.GetTempPath(), "zarraudio-module-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
    runspace.Open();
    var import = Stopwatch.StartNew();
    Invoke(runspace, $"Import-Module '{manifest}' -ErrorAction Stop");
    var importMs = import.Elapsed.TotalMilliseconds;

    // Material for reads: 20 one-minute 48 kHz 16-bit stereo recordings, and a label list of 100 ms segments.
    Invoke(runspace, $"$null = Mount-ZarrAudio -Path '{Path.Combine(work, "reads")}' -Create");
    var wav = Path.Combine(work, "minute.wav");
    for (var i = 0; i < 20; i++)
    {
        Tools.Run("sox", $"-n -r 48000 -b 16 -c 2 {wav} synth 60 pinknoise vol 0.3 synth 60 sine mix {1000 + 300 * i} vol 0.5");
        Invoke(runspace, $"$null = Import-Recording -LiteralPath '{wav}'");
    }
    Invoke(runspace, $$"""
        $random = [Random]::new(7)
        $ids = @(Get-RecordingMeta | ForEach-Object Id)
        $labels = foreach ($i in 1..{{references}}) {
            [pscustomobject]@{ Id = $ids[$random.Next($ids.Count)]; Start = $random.Next(0, 48000 * 60 - 4800); Count = 4800 }
        }
        """);
    Invoke(runspace, "$labels[0..199] | Read-Samples | Out-Null");
    double ReadsPerSecond(string throttle)
    {
        var output = Invoke(runspace, $$"""
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $n = 0
            $labels | Read-Samples {{throttle}} | ForEach-Object { $n++ }
            $sw.Elapsed.TotalSeconds; $n
            """);
        var seconds = Convert.ToDouble(output[0].BaseObject, CultureInfo.InvariantCulture);
        var count = Convert.ToInt32(output[1].BaseObject, CultureInfo.InvariantCulture);
        if (count != references) throw new InvalidOperationException($"Read-Samples returned {count} blocks for {references} references");
        return count / seconds;
    }
    var sequential = Enumerable.Range(0, 3).Select(_ => ReadsPerSecond("")).Max();
    var parallel = Enumerable.Range(0, 3).Select(_ => ReadsPerSecond("-ThrottleLimit 2")).Max();

    // Metadata: an archive of many small recordings with user metadata, filtered with Where-Object.
    Invoke(runspace, $$"""
        $null = Mount-ZarrAudio -Path '{{Path.Combine(work, "meta")}}' -Create
        $species = 'Myotis daubentonii', 'Pipistrellus pygmaeus', 'Turdus merula', 'Strix aluco'
        $samples = [int16[]]::new(800)
        foreach ($i in 1..{{recordings}}) {
            $rate = if ($i % 3 -eq 0) { 256000 } else { 48000 }
            $null = Import-Recording -Samples $samples -SampleRate $rate -Name "clip$i" -UserMeta @{ species = $species[$i % 4]; site = @{ name = "site$($i % 25)"; depth = $i % 40 } }
        }
        """);
    var filterTimes = new List<double>();
    var matches = 0;
    for (var i = 0; i < 3; i++)
    {
        // A fresh mount each time, so metadata is read from the store, not from a warm cache.
        var output = Invoke(runspace, $$"""
            $null = Mount-ZarrAudio -Path '{{Path.Combine(work, "meta")}}'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $found = @(Get-RecordingMeta | Where-Object { $_.User.species -eq 'Myotis daubentonii' -and $_.SampleRate -ge 192000 -and $_.User.site.depth -gt 10 })
            $sw.Elapsed.TotalSeconds; $found.Count
            """);
        filterTimes.Add(Convert.ToDouble(output[0].BaseObject, CultureInfo.InvariantCulture));
        matches = Convert.ToInt32(output[1].BaseObject, CultureInfo.InvariantCulture);
    }
    var expected = Enumerable.Range(1, recordings).Count(i => i % 3 == 0 && i % 4 == 0 && i % 40 > 10);
    if (matches != expected) throw new InvalidOperationException($"Where-Object found {matches} recordings, expected {expected}");

    Console.WriteLine($"Material: 20 one-minute 48 kHz stereo recordings, {references:N0} random 100 ms references; {recordings:N0} recordings of 800 samples with user metadata; {Environment.ProcessorCount} cores.");
    Console.WriteLine("| what | measured | target |");
    Console.WriteLine("|---|---|---|");
    Console.WriteLine($"| Import-Module ZarrAudio.psd1 (runspace, first import) | {importMs:F0} ms | < 1 s |");
    Console.WriteLine($"| label list → Read-Samples, 100 ms segments | {sequential:N0} reads/s | ≥ 3,000 |");
    Console.WriteLine($"| label list → Read-Samples -ThrottleLimit 2 | {parallel:N0} reads/s | ≥ 3,000 |");
    Console.WriteLine($"| Get-RecordingMeta \\| Where-Object (nested user + rate), {recordings:N0} recordings, fresh mount | {filterTimes.Min():F2} s best, {filterTimes.Max():F2} s worst ({matches} found) | ≤ 1 s |");
}
finally
{
    Directory.Delete(work, true);
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "ZarrAudio.psd1"))) return dir.FullName;
    throw new InvalidOperationException("ZarrAudio.psd1 not found above the benchmark");
}

static List<PSObject> Invoke(Runspace runspace, string script)
{
    using var ps = PowerShell.Create(runspace);
    ps.AddScript(script);
    var output = ps.Invoke().ToList();
    if (ps.Streams.Error.Count > 0) throw new InvalidOperationException($"Script failed: {ps.Streams.Error[0]}\n{script}");
    return output;
}
