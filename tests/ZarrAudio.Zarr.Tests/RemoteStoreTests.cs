using System.Text;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;
using ZarrAudio.Zarr.Stores.Remote;

namespace ZarrAudio.Zarr.Tests;

public class RemoteStoreTests(RemoteServers servers) : IClassFixture<RemoteServers>
{
    private static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    private async Task<IStore> MakeAsync(string kind)
    {
        IStore store = kind switch
        {
            "s3" => new S3Store("archive", NewPrefix(), servers.S3Options()),
            _ => new AzureBlobStore(TestServer.AzuriteAccount, "archive", NewPrefix(), servers.AzureOptions()),
        };
        await store.CreateIfMissingAsync();
        return store;
    }

    [Theory]
    [InlineData("s3")]
    [InlineData("azure")]
    public async Task EveryRemoteStoreDoesTheWholeInterface(string kind)
    {
        using var store = await MakeAsync(kind);
        Assert.True(store.IsRemote);
        await StoreContract.WholeInterfaceAsync(store);
    }

    [Fact]
    public async Task AzuriteHasExactlyOneWinnerOfAnExclusiveCreate()
    {
        using var store = await MakeAsync("azure");
        Assert.True(await store.EnforcesExclusiveCreateAsync("probe"));
        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () => (i, await store.SetIfAbsentAsync($"ids/{round}", BitConverter.GetBytes(i))))));
            var winners = results.Where(r => r.Item2).ToList();
            Assert.Single(winners);
            Assert.Equal(winners[0].i, BitConverter.ToInt32((await store.GetAsync($"ids/{round}"))!));
        }
    }

    [Fact]
    public async Task S3rverIsFoundNotToEnforceExclusiveCreate()
    {
        // s3rver stores a second PUT with If-None-Match: * over the first: the probe must say so, and a store the caller
        // did not promise to write alone must not pretend otherwise.
        using var shared = new S3Store("archive", NewPrefix(), servers.S3Options(singleWriter: false));
        Assert.False(await shared.EnforcesExclusiveCreateAsync("probe"));
        Assert.Null(shared.ConcurrencyWarning);
        using var alone = new S3Store("archive", NewPrefix(), servers.S3Options(singleWriter: true));
        Assert.True(await alone.EnforcesExclusiveCreateAsync("probe"));
        Assert.Contains("SingleWriter", alone.ConcurrencyWarning);
        Assert.True(await alone.SetIfAbsentAsync("k", new byte[] { 1 }));
        Assert.False(await alone.SetIfAbsentAsync("k", new byte[] { 2 }));
        Assert.Equal(new byte[] { 1 }, await alone.GetAsync("k"));
    }

    [Fact]
    public async Task HttpStoreReadsRangesAndRefusesWrites()
    {
        var folder = Path.Combine(servers.Web.Data, "pub");
        using (var local = new DirectoryStore(folder, create: true))
        {
            await local.SetAsync("a/b", Encoding.ASCII.GetBytes("0123456789"));
            await local.SetAsync("name with space/c", new byte[] { 7 });
        }
        using var store = new HttpStore(new Uri(servers.Web.Endpoint, "pub/"));
        // A web server only reads: it has no write or listing members to throw from, and asking for them is refused.
        Assert.IsNotAssignableFrom<IWritableStore>(store);
        Assert.IsNotAssignableFrom<IListableStore>(store);
        Assert.False(store.CanWrite());
        Assert.False(store.CanList());
        Assert.Equal("0123456789", Encoding.ASCII.GetString((await store.GetAsync("a/b"))!));
        Assert.Equal("345", Encoding.ASCII.GetString((await store.GetRangeAsync("a/b", ByteRange.FromOffset(3, 3)))!));
        Assert.Equal("789", Encoding.ASCII.GetString((await store.GetRangeAsync("a/b", ByteRange.Suffix(3)))!));
        Assert.Equal("89", Encoding.ASCII.GetString((await store.GetRangeAsync("a/b", ByteRange.FromOffset(8, 100)))!));
        Assert.Equal(10, await store.GetSizeAsync("a/b"));
        Assert.Equal(new byte[] { 7 }, await store.GetAsync("name with space/c"));
        Assert.Null(await store.GetAsync("missing"));
        Assert.False(await store.ExistsAsync("missing"));
        Assert.True(Assert.Throws<ZarrStoreException>(() => store.Writable("x")).IsReadOnly);
        Assert.Contains("cannot list", Assert.Throws<ZarrStoreException>(() => store.Listable("")).Message);
    }

    [Fact]
    public async Task ThrottlingIsAnsweredWithRetries()
    {
        // nginx answers anything above 2 requests a second with 503: 20 reads at once must all succeed, by retrying.
        var folder = Path.Combine(servers.Web.Data, "throttled");
        using (var local = new DirectoryStore(folder, create: true))
            for (var i = 0; i < 20; i++) await local.SetAsync($"k{i}", BitConverter.GetBytes(i));
        using var store = new HttpStore(new Uri(servers.ThrottledWeb.Endpoint, "throttled/"), new RemoteStoreOptions { MaxRetries = 12 });
        using var direct = new HttpClient();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => direct.GetAsync(new Uri(servers.ThrottledWeb.Endpoint, $"throttled/k{i}"))));
        Assert.Contains(statuses, s => (int)s.StatusCode == 503); // the throttle is real
        await Task.Delay(1500);
        var refused = servers.ThrottledWeb.CountAnswers(503);
        var values = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.GetAsync($"k{i}").AsTask()));
        for (var i = 0; i < 20; i++) Assert.Equal(i, BitConverter.ToInt32(values[i]!));
        Assert.True(servers.ThrottledWeb.CountAnswers(503) > refused, "the store's own reads were never throttled, so nothing was retried");
    }

    [Fact]
    public async Task S3ThrottlingThroughAProxyIsRetried()
    {
        using var proxy = TestServer.Nginx(Path.Combine(servers.Dir.Path, "proxy"), throttle: 5, proxy: servers.S3.Endpoint);
        using var store = new S3Store("archive", NewPrefix(), servers.S3Options() with { Endpoint = proxy.Endpoint, MaxRetries = 12 });
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.SetAsync($"k{i}", BitConverter.GetBytes(i)).AsTask()));
        var values = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.GetAsync($"k{i}").AsTask()));
        for (var i = 0; i < 20; i++) Assert.Equal(i, BitConverter.ToInt32(values[i]!));
        // The throttle is real: the proxy refused requests with 503, and every one was retried to success.
        Assert.True(proxy.CountAnswers(503) > 0, "the proxy never throttled, so nothing was retried");
    }

    [Fact]
    public async Task AzureThrottlingThroughAProxyIsRetriedOnTheSameSchedule()
    {
        using var proxy = TestServer.Nginx(Path.Combine(servers.Dir.Path, "azure-proxy"), throttle: 5, proxy: servers.Azure.Endpoint);
        using var store = new AzureBlobStore(TestServer.AzuriteAccount, "archive", NewPrefix(),
            new RemoteStoreOptions { Endpoint = new Uri(proxy.Endpoint, TestServer.AzuriteAccount + "/"), Secret = TestServer.AzuriteKey, MaxRetries = 12 });
        await store.CreateIfMissingAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.SetAsync($"k{i}", BitConverter.GetBytes(i)).AsTask()));
        var values = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.GetAsync($"k{i}").AsTask()));
        for (var i = 0; i < 20; i++) Assert.Equal(i, BitConverter.ToInt32(values[i]!));
        Assert.True(proxy.CountAnswers(503) > 0, "the proxy never throttled, so nothing was retried");
    }

    [Fact]
    public async Task BadLocationsAreClearErrorsWithoutSecrets()
    {
        const string secret = "NotTheRealSecretButOneToLookFor0123456789==";
        var wrongKey = new AzureBlobStore(TestServer.AzuriteAccount, "archive", "x",
            new RemoteStoreOptions { Endpoint = new Uri(servers.Azure.Endpoint, TestServer.AzuriteAccount + "/"), Secret = Convert.ToBase64String(Encoding.ASCII.GetBytes(secret)) });
        var denied = await Assert.ThrowsAsync<ZarrStoreException>(async () => await wrongKey.GetAsync("zarr.json"));
        Assert.Equal(StoreFailure.AccessDenied, denied.Failure);
        Assert.Contains("az://devstoreaccount1/archive/x", denied.Message);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes(secret)), denied.ToString());

        using var noContainer = new AzureBlobStore(TestServer.AzuriteAccount, "nocontainer", "", servers.AzureOptions());
        var missing = await Assert.ThrowsAsync<ZarrStoreException>(async () => await noContainer.GetAsync("zarr.json"));
        Assert.Equal(StoreFailure.NotFound, missing.Failure);
        Assert.Contains("'nocontainer' does not exist", missing.Message);
        Assert.DoesNotContain(TestServer.AzuriteKey, missing.ToString());

        using var noBucket = new S3Store("nobucket", "", servers.S3Options());
        var missingBucket = await Assert.ThrowsAsync<ZarrStoreException>(async () => await noBucket.GetAsync("zarr.json"));
        Assert.Equal(StoreFailure.NotFound, missingBucket.Failure);
        Assert.Contains("'nobucket' does not exist", missingBucket.Message);
        Assert.Null(await new S3Store("archive", NewPrefix(), servers.S3Options()).GetSizeAsync("zarr.json"));
        var headMissingBucket = await Assert.ThrowsAsync<ZarrStoreException>(async () => await noBucket.GetSizeAsync("zarr.json"));
        Assert.Equal(StoreFailure.NotFound, headMissingBucket.Failure);

        using var nowhere = new HttpStore(new Uri("http://127.0.0.1:9/none/"), new RemoteStoreOptions { MaxRetries = 1 });
        var unreachable = await Assert.ThrowsAsync<ZarrStoreException>(async () => await nowhere.GetAsync("zarr.json"));
        Assert.Equal(StoreFailure.Unavailable, unreachable.Failure);
        Assert.Contains("http://127.0.0.1:9/none", unreachable.Message);
    }
}

/// <summary>A server that accepts connections and never answers: requests must time out, retry, and stop when cancelled.</summary>
public class HungServerTests
{
    private static (System.Net.Sockets.TcpListener Listener, Uri Endpoint) Hang()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            var held = new List<System.Net.Sockets.TcpClient>();
            try { while (true) held.Add(await listener.AcceptTcpClientAsync()); }
            catch (Exception) { foreach (var c in held) c.Dispose(); }
        });
        return (listener, new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/"));
    }

    public static TheoryData<string> Kinds() => ["http", "s3", "azure"];

    private static IReadableStore Make(string kind, Uri endpoint, RemoteStoreOptions options) => kind switch
    {
        "http" => new HttpStore(new Uri(endpoint, "archive/"), options),
        "s3" => new S3Store("archive", "x", options with { Endpoint = endpoint, UserName = "a", Secret = "b" }),
        _ => new AzureBlobStore(TestServer.AzuriteAccount, "archive", "x", options with { Endpoint = new Uri(endpoint, TestServer.AzuriteAccount + "/"), Secret = TestServer.AzuriteKey }),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ARequestThatNeverAnswersTimesOutAfterItsRetries(string kind)
    {
        var (listener, endpoint) = Hang();
        using var _ = listener;
        using var store = Make(kind, endpoint, new RemoteStoreOptions { RequestTimeout = TimeSpan.FromMilliseconds(500), MaxRetries = 1 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<ZarrStoreException>(async () => await store.GetAsync("zarr.json"));
        Assert.Equal(StoreFailure.Unavailable, failed.Failure);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10); // two attempts of half a second, and a backoff
        listener.Stop();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CancellingAHungRequestStopsItAtOnce(string kind)
    {
        var (listener, endpoint) = Hang();
        using var _ = listener;
        using var store = Make(kind, endpoint, new RemoteStoreOptions { RequestTimeout = TimeSpan.FromMinutes(5) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetRangeAsync("a/b", ByteRange.FromOffset(0, 10), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        listener.Stop();
    }
}
