using System.Diagnostics;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;
using ZarrAudio.Zarr.Stores.Remote;

namespace ZarrAudio.Bench;

/// <summary>
/// The inputs of docs/SCALE.md's model for many importing tasks: the store calls one import makes, by kind, and the
/// bytes it writes (one-minute stereo WAVs, quiet and loud); and what an archive's size adds to an import (the id
/// allocation lists the mount's folder). Against Azurite on loopback, which refuses a second exclusive create as S3 does.
/// </summary>
internal sealed class ImportRequestsBenchmark(string work, int listed, int runs)
{
    public async Task RunAsync()
    {
        using var azure = TestServer.Azure(Path.Combine(work, "azure-requests"));
        var options = new RemoteStoreOptions { ConnectionString = azure.AzureConnectionString };
        var quiet = Enumerable.Range(0, runs).Select(i => Wav($"quiet{i}", "pinknoise vol 0.006")).ToList(); // about −50 dBFS
        var loud = Enumerable.Range(0, runs).Select(i => Wav($"loud{i}", "pinknoise vol 0.3")).ToList();

        Console.WriteLine();
        Console.WriteLine($"### Store calls per import (Azurite on loopback; one-minute 48 kHz stereo WAVs, {runs} each, median)");
        Console.WriteLine();
        var empty = $"az://{TestServer.AzuriteAccount}/requests/empty";
        var counted = (CountingStore)CountingReader.Of(StoreLocation.Open(empty, create: true, readOnly: false, options));
        await counted.CreateIfMissingAsync();
        using (var archive = await AudioArchive.MountAsync(counted, "", create: true, ownsStore: true))
        {
            var counting = counted;
            await archive.ImportFileAsync(Wav("warm", "pinknoise", seconds: 1));
            foreach (var (name, files) in new[] { ("quiet noise, about −50 dBFS", quiet), ("loud noise, about −14 dBFS", loud) })
            {
                var samples = new List<(Dictionary<string, long> Kinds, long Bytes, double Seconds)>();
                foreach (var file in files)
                {
                    var (kinds, bytes) = (counting.ByKind, counting.BytesWritten);
                    var sw = Stopwatch.StartNew();
                    await archive.ImportFileAsync(file);
                    var after = counting.ByKind;
                    samples.Add((after.ToDictionary(k => k.Key, k => k.Value - kinds.GetValueOrDefault(k.Key)), counting.BytesWritten - bytes, sw.Elapsed.TotalSeconds));
                }
                var all = samples.SelectMany(s => s.Kinds.Keys).Distinct().Order();
                Console.WriteLine($"- {name}: " + string.Join(", ", all.Select(k => $"{k} {Tools.Median(samples.Select(s => (double)s.Kinds.GetValueOrDefault(k)))}")) +
                    $"; total {Tools.Median(samples.Select(s => (double)s.Kinds.Values.Sum()))} calls, {Tools.Median(samples.Select(s => (double)s.Bytes)) / 1e6:F2} MB written, import {Tools.Median(samples.Select(s => s.Seconds)):F2} s");
            }
        }

        // The same import into an archive that already holds `listed` recordings: what the id allocation's listing adds.
        var full = $"az://{TestServer.AzuriteAccount}/requests/full";
        await RemoteBenchmark.FillAsync(work, listed, full, options);
        var store = StoreLocation.Open(full, create: false, readOnly: false, options);
        var listings = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var n = 0;
            await foreach (var _ in ((IListableStore)store).ListDirectoryAsync("")) n++;
            listings.Add(sw.Elapsed.TotalMilliseconds);
        }
        store.Dispose();
        var emptyTimes = new List<double>();
        var fullTimes = new List<double>();
        using (var small = await AudioArchive.MountAsync(empty, "", create: false, remote: options))
        using (var big = await AudioArchive.MountAsync(full, "", create: false, remote: options))
            for (var i = 0; i < runs; i++)
            {
                var file = Wav($"short{i}", "pinknoise", seconds: 1);
                emptyTimes.Add(await Tools.TimeAsync(() => small.ImportFileAsync(file)));
                await Task.Delay(100);
                fullTimes.Add(await Tools.TimeAsync(() => big.ImportFileAsync(Wav($"short{i}b", "pinknoise", seconds: 1))));
            }
        Console.WriteLine($"- one listing of the mount folder with {listed:N0} recordings: {Tools.Median(listings):F0} ms ({listings.Min():F0}–{listings.Max():F0})");
        Console.WriteLine($"- a 1 s import into an archive of {listed:N0}: {Tools.Median(fullTimes) * 1000:F0} ms ({fullTimes.Min() * 1000:F0}–{fullTimes.Max() * 1000:F0}); of a dozen: {Tools.Median(emptyTimes) * 1000:F0} ms ({emptyTimes.Min() * 1000:F0}–{emptyTimes.Max() * 1000:F0})");
    }

    private string Wav(string name, string noise, double seconds = 60)
    {
        var path = Path.Combine(work, $"requests-{name}.wav");
        Tools.Run("sox", $"-n -r 48000 -b 16 -c 2 {path} synth {seconds} {noise}");
        return path;
    }
}
