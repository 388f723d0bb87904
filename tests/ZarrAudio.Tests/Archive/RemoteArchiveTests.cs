using System.Diagnostics;
using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;
using ZarrAudio.Zarr.Stores.Remote;

namespace ZarrAudio.Tests;

/// <summary>Archives on s3rver, Azurite and nginx (real servers on 127.0.0.1): round trips, the catalog, leases, faults.</summary>
public class RemoteArchiveTests(RemoteServers servers) : IClassFixture<RemoteServers>
{
    private static string NewName() => "t" + Guid.NewGuid().ToString("N")[..12];
    private static string AzureLocation(string prefix) => $"az://{TestServer.AzuriteAccount}/archive/{prefix}";

    private Task<AudioArchive> MountAsync(string kind, string prefix, bool create = true) => kind switch
    {
        "s3" => AudioArchive.MountAsync($"s3://archive/{prefix}", "", create, remote: servers.S3Options()),
        _ => AudioArchive.MountAsync(AzureLocation(prefix), "", create, remote: servers.AzureOptions()),
    };

    [Theory]
    [InlineData("s3")]
    [InlineData("azure")]
    public async Task EveryCodecRoundTripsAndAFreshMountListsThroughTheCatalog(string kind)
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "tone.wav", 48000, 16, 2, 3);
        var prefix = NewName();
        var expected = AudioFixtures.FfmpegDecode(wav, 16);
        long flacId, pcmId, aacId;
        int[] aacLocal;
        using (var local = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true))
        {
            var r = await local.ImportFileAsync(wav, new ImportOptions { Codec = "Aac" });
            aacLocal = AudioFixtures.Flatten((await r.ReadAsync(0, r.SampleCount)).Samples);
        }
        using (var archive = await MountAsync(kind, prefix))
        {
            Assert.True(archive.UsesCatalog);
            flacId = (await archive.ImportFileAsync(wav)).Id;
            pcmId = (await archive.ImportFileAsync(wav, new ImportOptions { Codec = "Pcm", Force = true })).Id;
            aacId = (await archive.ImportFileAsync(wav, new ImportOptions { Codec = "Aac", Force = true })).Id;
            await archive.SetUserMetadataAsync(pcmId, new Dictionary<string, object?> { ["species"] = "Strix aluco" }, UserMetadataChange.Merge);
        }
        using (var archive = await MountAsync(kind, prefix, create: false))
        {
            var all = await archive.GetRecordingsAsync();
            Assert.Equal([flacId, pcmId, aacId], all.Select(r => r.Id));
            Assert.Equal("Strix aluco", all[1].Metadata.User["species"]?.GetValue<string>());
            Assert.Equal(["flac", "pcm", "aac"], all.Select(r => r.Metadata.Technical.Codec));
            foreach (var r in all)
            {
                var samples = AudioFixtures.Flatten((await r.ReadAsync(0, r.SampleCount)).Samples);
                Assert.Equal(r.Id == aacId ? aacLocal : expected, samples);
                var part = AudioFixtures.Flatten((await r.ReadAsync(12_345, 4_800)).Samples);
                Assert.Equal((r.Id == aacId ? aacLocal : expected).AsSpan(12_345 * 2, 4_800 * 2).ToArray(), part);
                Assert.True((await r.VerifyAsync()).IsValid);
            }
            await archive.RemoveAsync(pcmId);
        }
        using (var archive = await MountAsync(kind, prefix, create: false))
        {
            Assert.Equal([flacId, aacId], await archive.ListIdsAsync());
            archive.UsesCatalog = false; // the truth agrees
            Assert.Equal([flacId, aacId], await archive.ListIdsAsync());
        }
    }

    [Fact]
    public async Task AnArchivePublishedOverHttpListsReadsAndVerifiesButRefusesChanges()
    {
        using var dir = new TempDirectory();
        var name = NewName();
        var wav = AudioFixtures.MakeWav(dir, "tone.wav", 22050, 24, 1, 2);
        using (var archive = await AudioArchive.MountAsync(Path.Combine(servers.WebRoot, name), "", create: true))
        {
            await archive.ImportFileAsync(wav);
            await archive.ImportFileAsync(wav, new ImportOptions { Codec = "Pcm", Force = true, UserMetadata = new Dictionary<string, object?> { ["site"] = "A" } });
        }
        using var web = await AudioArchive.MountAsync(new Uri(servers.Web.Endpoint, name).ToString(), "", create: false);
        Assert.True(web.IsReadOnly);
        var all = await web.GetRecordingsAsync();
        Assert.Equal([1L, 2L], all.Select(r => r.Id));
        Assert.Equal("A", all[1].Metadata.User["site"]?.GetValue<string>());
        var expected = AudioFixtures.FfmpegDecode(wav, 24);
        foreach (var r in all)
        {
            Assert.Equal(expected, AudioFixtures.Flatten((await r.ReadAsync(0, r.SampleCount)).Samples));
            Assert.True((await r.VerifyAsync()).IsValid);
        }
        var refused = await Assert.ThrowsAsync<Zarr.ZarrStoreException>(() => web.ImportFileAsync(wav, new ImportOptions { Force = true }));
        Assert.True(refused.IsReadOnly);
        await Assert.ThrowsAsync<ArchiveFormatException>(() => AudioArchive.MountAsync(new Uri(servers.Web.Endpoint, name + "/").ToString(), "", create: true));
        var notArchive = await Assert.ThrowsAsync<ArchiveFormatException>(() => AudioArchive.MountAsync(new Uri(servers.Web.Endpoint, "nothing-here").ToString(), "", create: false));
        Assert.Contains("nothing-here", notArchive.Message);

        // zarrita, over HTTP, reads the PCM array and the catalog page is plain JSON it can fetch.
        var read = JsonNode.Parse(ProcessRunner.Node("zarrita-read.mjs", new Uri(servers.Web.Endpoint, name).ToString(), "a:2/pcm", "g:2"))!;
        Assert.Equal("A", read["groups"]!["2"]!["user"]!["site"]!.GetValue<string>());
        Assert.NotNull(read["arrays"]!["2/pcm"]!["sha256"]);
    }

    [Fact]
    public async Task APublishedArchiveWithoutACatalogSaysHowToGiveItOneAndStillReadsById()
    {
        var name = NewName();
        var source = RepoPaths.LayoutOneArchive;
        RepoPaths.CopyLayoutOneArchive(Path.Combine(servers.WebRoot, name));
        using var web = await AudioArchive.MountAsync(new Uri(servers.Web.Endpoint, name).ToString(), "", create: false);
        var refused = await Assert.ThrowsAsync<ArchiveFormatException>(() => web.GetRecordingsAsync());
        Assert.Contains("no catalog", refused.Message);
        Assert.Contains("Mount the original folder once for writing", refused.Message);
        using var local = await AudioArchive.MountAsync(source, "", create: false, readOnly: true);
        var first = (await local.ListIdsAsync())[0];
        var expected = await (await local.GetRecordingAsync(first)).ReadAsync(0, 1000);
        var read = await (await web.GetRecordingAsync(first)).ReadAsync(0, 1000);
        Assert.Equal(AudioFixtures.Flatten(expected.Samples), AudioFixtures.Flatten(read.Samples));
    }

    [Fact]
    public async Task S3rverIsRefusedForWritingUnlessMountedSingleWriter()
    {
        var prefix = NewName();
        var refused = await Assert.ThrowsAsync<UnsafeStoreException>(() => AudioArchive.MountAsync($"s3://archive/{prefix}", "", create: true, remote: servers.S3Options(singleWriter: false)));
        Assert.Contains("-SingleWriter", refused.Message);
        using var alone = await AudioArchive.MountAsync($"s3://archive/{prefix}", "", create: true, remote: servers.S3Options(singleWriter: true));
        Assert.Contains("SingleWriter", alone.Warning);
        using var reader = await AudioArchive.MountAsync($"s3://archive/{prefix}", "", create: false, readOnly: true, remote: servers.S3Options(singleWriter: false));
        Assert.Null(reader.Warning);
    }

    [Fact]
    public async Task ThreeProcessesAsThreeHostsImportSixtyFilesIntoOneAzureArchive()
    {
        using var dir = new TempDirectory();
        var prefix = NewName();
        using (var _ = await AudioArchive.MountAsync(AzureLocation(prefix), "", create: true, remote: servers.AzureOptions())) { }
        var files = Enumerable.Range(0, 60).Select(i => AudioFixtures.MakeWav(dir, $"f{i}.wav", 8000, 16, 1, 0.5 + i * 0.01)).ToArray();
        var runs = Enumerable.Range(0, 3).Select(p => Task.Run(() => ProcessRunner.Execute("dotnet",
            ["exec", Path.Combine(AppContext.BaseDirectory, "ImportWorker.dll"), AzureLocation(prefix), $"w{p}", .. files.Skip(p * 20).Take(20)],
            environment: new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = servers.Azure.AzureConnectionString, ["ZARRAUDIO_HOST"] = $"host{p}" }))).ToArray();
        foreach (var run in await Task.WhenAll(runs)) Assert.True(run.ExitCode == 0, run.Stderr);
        using var archive = await AudioArchive.MountAsync(AzureLocation(prefix), "", create: false, remote: servers.AzureOptions());
        var listed = await archive.GetRecordingsAsync();
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), listed.Select(r => r.Id));
        Assert.Equal(files.Order(), listed.Select(r => r.Metadata.Source.FullPath!).Order());
        Assert.Equal(20, listed.Count(r => r.Metadata.User["worker"]?.GetValue<string>() == "w1"));
        archive.UsesCatalog = false;
        var truth = await archive.GetRecordingsAsync();
        Assert.Equal(truth.Select(r => r.Attributes.ToJsonString()), listed.Select(r => r.Attributes.ToJsonString()));
        foreach (var r in listed) Assert.True((await r.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task AKilledImportersLeaseRunsOutAndAnotherHostRepairsIt()
    {
        using var dir = new TempDirectory();
        var prefix = NewName();
        using var archive = await AudioArchive.MountAsync(AzureLocation(prefix), "", create: true, remote: servers.AzureOptions());
        await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "first.wav", 8000, 16, 1, 1));
        var big = AudioFixtures.MakeWav(dir, "big.wav", 96000, 24, 2, 600);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "ImportWorker.dll"), AzureLocation(prefix), "killed", big]) start.ArgumentList.Add(a);
        start.Environment["AZURE_STORAGE_CONNECTION_STRING"] = servers.Azure.AzureConnectionString;
        start.Environment["ZARRAUDIO_HOST"] = "far-away-node";
        start.Environment["ZARRAUDIO_TEST_LEASE_SECONDS"] = "3";
        using (var worker = Process.Start(start)!)
        {
            // Killed once its data is being stored under id 2.
            var deadline = Stopwatch.StartNew();
            while (!await archive.Store.Listable().ListPrefixAsync("2/flac0/").AnyAsync() && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
            Assert.False(worker.HasExited, "the import finished before it could be killed");
            worker.Kill(entireProcessTree: true);
            worker.WaitForExit();
        }
        // Another host, while the lease holds: the import counts as alive, nothing is repaired.
        Assert.DoesNotContain(await archive.FindRepairsAsync(), i => i.Kind == RepairKind.UncommittedData);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var items = await archive.FindRepairsAsync();
        Assert.Contains(items, i => i.Kind == RepairKind.UncommittedData && i.Id == 2);
        Assert.Equal([2L], await archive.RepairAsync());
        Assert.Empty(await archive.Store.Listable().ListPrefixAsync("2/flac0/").ToListAsync());
        Assert.Equal([1L], await archive.ListIdsAsync());
        var next = await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "next.wav", 8000, 16, 1, 1));
        Assert.Equal(3, next.Id);
    }

    [Fact]
    public async Task AServerStoppedMidImportFailsTheImportAndLeavesNothingVisible()
    {
        using var dir = new TempDirectory();
        using var server = TestServer.Azure(dir.Combine("azure"));
        var options = new RemoteStoreOptions { ConnectionString = server.AzureConnectionString, MaxRetries = 2, RequestTimeout = TimeSpan.FromSeconds(5) };
        var location = AzureLocation("x");
        var small = AudioFixtures.MakeWav(dir, "small.wav", 8000, 16, 1, 1);
        var big = AudioFixtures.MakeWav(dir, "big.wav", 96000, 24, 2, 300);
        using (var archive = await AudioArchive.MountAsync(location, "", create: true, remote: options))
        {
            archive.ClaimLease = TimeSpan.FromSeconds(3);
            await archive.ImportFileAsync(small);
            var import = archive.ImportFileAsync(big);
            var deadline = Stopwatch.StartNew();
            while (!await archive.Store.Listable().ListPrefixAsync("2/").AnyAsync() && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(20);
            server.Stop();
            var failed = await Assert.ThrowsAsync<Zarr.ZarrStoreException>(() => import);
            Assert.Equal(Zarr.StoreFailure.Unavailable, failed.Failure);
            Assert.Contains(location, failed.Message);
        }
        server.Start();
        using (var archive = await AudioArchive.MountAsync(location, "", create: false, remote: options))
        {
            Assert.Equal([1L], await archive.ListIdsAsync());
            var first = await archive.GetRecordingAsync(1);
            Assert.Equal(AudioFixtures.FfmpegDecode(small, 16), AudioFixtures.Flatten((await first.ReadAsync(0, first.SampleCount)).Samples));
            archive.UsesCatalog = false;
            Assert.Equal([1L], await archive.ListIdsAsync());
            // The failed import could not clean up (the server was down): once its lease has run out, a repair does.
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            Assert.Contains(await archive.FindRepairsAsync(), i => i.Kind == RepairKind.UncommittedData && i.Id == 2);
            await archive.RepairAsync();
            Assert.Empty(await archive.Store.Listable().ListPrefixAsync("2/flac0/").ToListAsync());
            Assert.Empty(await archive.FindRepairsAsync());
        }
    }
}
