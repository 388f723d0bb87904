using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using GetObjectRequest = Amazon.S3.Model.GetObjectRequest;
using PutObjectRequest = Amazon.S3.Model.PutObjectRequest;
using ByteRange = ZarrAudio.Zarr.Stores.ByteRange;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;
using ZarrAudio.Zarr.Stores.Remote;

namespace ZarrAudio.Bench;

/// <summary>
/// Archives on s3rver and Azurite (loopback), each figure against its baseline in the same run: 100 ms random reads
/// against one raw ranged GET of the same bytes through the same SDK (and the requests per read), listing 10,000
/// recordings on a fresh mount (catalog against reading every zarr.json), import against a plain upload of the .flac
/// file, and 4 reader processes against 1.
/// </summary>
internal sealed class RemoteBenchmark(string work, double seconds, int listed)
{
    public async Task RunAsync()
    {
        using var s3 = TestServer.S3(Path.Combine(work, "s3"));
        using var azure = TestServer.Azure(Path.Combine(work, "azure"));
        var wav = Path.Combine(work, "remote.wav");
        Tools.Run("sox", $"-n -r 48000 -b 16 -c 2 {wav} synth {seconds} pinknoise vol 0.3 synth {seconds} sine mix 3000-23000 vol 0.5");
        var flac = Path.Combine(work, "remote.flac");
        var flacEncode = Tools.Time(() => Tools.Run("flac", $"-5 -f -s -o {flac} {wav}"));
        var s3Options = new RemoteStoreOptions { Endpoint = s3.Endpoint, UserName = "S3RVER", Secret = "S3RVER", SingleWriter = true };
        var azureOptions = new RemoteStoreOptions { ConnectionString = azure.AzureConnectionString };
        var s3Client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = s3.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var container = new BlobServiceClient(azure.AzureConnectionString).GetBlobContainerClient("archive");
        await container.CreateIfNotExistsAsync();

        Console.WriteLine();
        Console.WriteLine($"### Object storage on loopback ({seconds / 60:0.#} min of 48 kHz stereo; {listed:N0} recordings listed)");
        Console.WriteLine();
        Console.WriteLine("| server | 100 ms read | raw ranged GET, same bytes, same SDK | ratio | requests per read | import | upload of the .flac | import ÷ (flac -5 + upload) | 4 reader processes ÷ 1 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, location, options, rawGet, upload) in new (string, string, RemoteStoreOptions, Func<string, ByteRange, Task<int>>, Func<string, Task>)[]
        {
            ("s3rver", "s3://archive/bench", s3Options,
                async (key, range) =>
                {
                    using var r = await s3Client.GetObjectAsync(new GetObjectRequest { BucketName = "archive", Key = "bench/" + key, ByteRange = new Amazon.S3.Model.ByteRange(range.Offset, range.End - 1) });
                    var buffer = new byte[r.ContentLength];
                    await r.ResponseStream.ReadExactlyAsync(buffer);
                    return buffer.Length;
                },
                async file => await s3Client.PutObjectAsync(new PutObjectRequest { BucketName = "archive", Key = "upload.flac", FilePath = file, UseChunkEncoding = false })),
            ("Azurite", $"az://{TestServer.AzuriteAccount}/archive/bench", azureOptions,
                async (key, range) =>
                {
                    var r = await container.GetBlobClient("bench/" + key).DownloadStreamingAsync(new BlobDownloadOptions { Range = new Azure.HttpRange(range.Offset, range.Length) });
                    using var d = r.Value;
                    var buffer = new byte[d.Details.ContentLength];
                    await d.Content.ReadExactlyAsync(buffer);
                    return buffer.Length;
                },
                async file => await container.GetBlobClient("upload.flac").UploadAsync(file, overwrite: true)),
        })
        {
            var counting = CountingReader.Of(StoreLocation.Open(location, create: true, readOnly: false, options));
            using var archive = await AudioArchive.MountAsync(counting, "", create: true, ownsStore: true);
            var warm = Path.Combine(work, "warm.wav");
            Tools.Run("sox", $"-n -r 48000 -b 16 -c 2 {warm} synth 1 pinknoise");
            await archive.ImportFileAsync(warm);
            Recording? recording = null;
            var import = await Tools.TimeAsync(async () => recording = await archive.ImportFileAsync(wav));
            var uploadTime = await Tools.TimeAsync(() => upload(flac));

            var (ours, raw, requests) = await MeasureReadsAsync(recording!, counting, rawGet);
            var (scaling, cores) = ReaderScaling(location, options, recording.Id);
            Console.WriteLine($"| {name} | {ours:F2} ms | {raw:F2} ms | {ours / raw:F2}× | {requests:F2} | {import:F2} s | {uploadTime:F2} s | {import / (flacEncode + uploadTime):F2}× | {scaling:F2}× (one reader: {cores:F2} cores) |");
        }

        // nginx serving the archive folder (read-only HTTP): a server that is not the bottleneck for 4 readers.
        using (var web = TestServer.Nginx(Path.Combine(work, "web")))
        {
            var folder = Path.Combine(work, "web", "bench");
            using (var local = await AudioArchive.MountAsync(folder, "", create: true)) await local.ImportFileAsync(wav);
            var address = new Uri(web.Endpoint, "bench").ToString();
            var counting = CountingReader.Of(StoreLocation.Open(address, create: false, readOnly: true));
            using var archive = await AudioArchive.MountAsync(counting, "", create: false, ownsStore: true);
            var recording = await archive.GetRecordingAsync(1);
            using var http = new HttpClient();
            var (ours, raw, requests) = await MeasureReadsAsync(recording, counting, async (key, range) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(web.Endpoint, "bench/" + key));
                request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(range.Offset, range.End - 1);
                using var response = await http.SendAsync(request);
                return (await response.Content.ReadAsByteArrayAsync()).Length;
            });
            var (scaling, cores) = ReaderScaling(address, new RemoteStoreOptions(), 1);
            Console.WriteLine($"| nginx (HTTP, read-only) | {ours:F2} ms | {raw:F2} ms (HttpClient) | {ours / raw:F2}× | {requests:F2} | | | | {scaling:F2}× (one reader: {cores:F2} cores) |");
        }

        Console.WriteLine();
        Console.WriteLine($"| server | Get-RecordingMeta of {listed:N0} on a fresh mount: catalog | requests | reading every zarr.json | requests | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, location, options) in new[] { ("s3rver", "s3://archive/listing", s3Options), ("Azurite", $"az://{TestServer.AzuriteAccount}/archive/listing", azureOptions) })
        {
            await FillAsync(location, options, wav);
            var counting = CountingReader.Of(StoreLocation.Open(location, create: false, readOnly: true, options));
            using var archive = await AudioArchive.MountAsync(counting, "", create: false, ownsStore: true);
            var before = counting.Requests;
            var sw = Stopwatch.StartNew();
            var all = await archive.GetRecordingsAsync();
            var catalog = sw.Elapsed.TotalSeconds;
            var catalogRequests = counting.Requests - before;
            if (all.Count != listed) throw new InvalidOperationException($"listed {all.Count} of {listed}");
            var counting2 = CountingReader.Of(StoreLocation.Open(location, create: false, readOnly: true, options));
            using var scan = await AudioArchive.MountAsync(counting2, "", create: false, ownsStore: true);
            scan.UsesCatalog = false;
            before = counting2.Requests;
            sw.Restart();
            var scanned = await scan.GetRecordingsAsync();
            var scanTime = sw.Elapsed.TotalSeconds;
            if (scanned.Count != listed) throw new InvalidOperationException($"scanned {scanned.Count} of {listed}");
            Console.WriteLine($"| {name} | {catalog:F2} s | {catalogRequests} | {scanTime:F2} s | {counting2.Requests - before} | {catalog / scanTime:F3}× |");
        }
    }

    /// <summary>
    /// 200 random 100 ms reads after the recording's first: mean time, the mean time of one raw ranged GET of the same
    /// bytes (the last range each read fetched), and the requests per read.
    /// </summary>
    private static async Task<(double Ours, double Raw, double Requests)> MeasureReadsAsync(Recording recording, CountingReader counting, Func<string, ByteRange, Task<int>> rawGet)
    {
        var n = recording.SampleCount;
        await recording.ReadAsync(0, 4800);
        var random = new Random(5);
        const int reads = 200;
        double ours = 0, raw = 0;
        long requests = 0;
        for (var i = 0; i < reads; i++)
        {
            var start = random.NextInt64(n - 4800);
            var before = counting.Requests;
            var sw = Stopwatch.StartNew();
            await recording.ReadAsync(start, 4800);
            ours += sw.Elapsed.TotalMilliseconds;
            requests += counting.Requests - before;
            var (key, range) = counting.LastRange!.Value;
            sw.Restart();
            await rawGet(key, range);
            raw += sw.Elapsed.TotalMilliseconds;
        }
        return (ours / reads, raw / reads, (double)requests / reads);
    }

    /// <summary>
    /// An archive of <c>listed</c> committed recordings: one real import, whose group metadata is then written for the
    /// other ids (the listing reads only metadata), and the catalog rebuilt from them as a writable mount would.
    /// </summary>
    private Task FillAsync(string location, RemoteStoreOptions options, string wav) => FillAsync(work, listed, location, options);

    internal static async Task FillAsync(string work, int listed, string location, RemoteStoreOptions options)
    {
        using var archive = await AudioArchive.MountAsync(location, "", create: true, remote: options);
        var short10 = Path.Combine(work, "listing.wav");
        Tools.Run("sox", $"-n -r 48000 -b 16 -c 2 {short10} synth 10 pinknoise");
        var first = await archive.ImportFileAsync(short10);
        var template = first.Attributes;
        await Parallel.ForEachAsync(Enumerable.Range(2, listed - 1), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
        {
            var attributes = (JsonObject)template.DeepClone();
            attributes["technical"]!["id"] = id;
            await ZarrGroup.CreateAsync(archive.Store.Writable(), id.ToString(), attributes, ct);
        });
        await archive.RebuildCatalogAsync();
    }

    /// <summary>
    /// Reads per second of 4 processes at once ÷ those of 1, each doing random 100 ms reads for 5 s; and the cores the one
    /// reader kept busy (its CPU time ÷ wall time), which says how much of the machine was left for more readers.
    /// </summary>
    private static (double Ratio, double OneReaderCores) ReaderScaling(string location, RemoteStoreOptions options, long id)
    {
        (double Rate, double Cores) Run(int processes)
        {
            var started = Enumerable.Range(0, processes).Select(p =>
            {
                var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
                foreach (var a in (string[])["exec", typeof(RemoteBenchmark).Assembly.Location, "--reader", location, id.ToString(), "5", options.Endpoint?.ToString() ?? "", options.ConnectionString ?? ""])
                    info.ArgumentList.Add(a);
                return Process.Start(info)!;
            }).ToList();
            var results = started.Select(p =>
            {
                var parts = p.StandardOutput.ReadToEnd().Trim().Split(' ');
                p.WaitForExit();
                return (Rate: double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), Cores: double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            }).ToList();
            return (results.Sum(r => r.Rate), results.Sum(r => r.Cores));
        }
        var one = Run(1);
        return (Run(4).Rate / one.Rate, one.Cores);
    }

    /// <summary>The reader process: random 100 ms reads of one recording for a number of seconds; prints reads per second.</summary>
    public static async Task<int> ReaderAsync(string[] args)
    {
        var (location, id, seconds, endpoint, connection) = (args[1], long.Parse(args[2]), double.Parse(args[3]), args[4], args[5]);
        var options = location.StartsWith("s3://") ? new RemoteStoreOptions { Endpoint = new Uri(endpoint), UserName = "S3RVER", Secret = "S3RVER" }
            : location.StartsWith("az://") ? new RemoteStoreOptions { ConnectionString = connection }
            : new RemoteStoreOptions();
        using var archive = await AudioArchive.MountAsync(location, "", create: false, readOnly: true, remote: options);
        var recording = await archive.GetRecordingAsync(id);
        await recording.ReadAsync(0, 4800);
        var random = new Random(Environment.ProcessId);
        var sw = Stopwatch.StartNew();
        var reads = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            await recording.ReadAsync(random.NextInt64(recording.SampleCount - 4800), 4800);
            reads++;
        }
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"{reads / sw.Elapsed.TotalSeconds} {cpu / sw.Elapsed.TotalSeconds}"));
        return 0;
    }
}
