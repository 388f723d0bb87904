using ZarrAudio.Zarr.Stores.Remote;

namespace ZarrAudio.Testing;

/// <summary>s3rver, Azurite and nginx (plain, and throttling) on 127.0.0.1, started once for a test class and stopped after.</summary>
public sealed class RemoteServers : IDisposable
{
    public TempDirectory Dir { get; } = new();
    public TestServer S3 { get; }
    public TestServer Azure { get; }
    /// <summary>nginx serving <see cref="WebRoot"/>.</summary>
    public TestServer Web { get; }
    /// <summary>nginx serving the same folder, answering more than 4 requests a second with 503.</summary>
    public TestServer ThrottledWeb { get; }
    public string WebRoot => Web.Data;

    public RemoteServers()
    {
        S3 = TestServer.S3(Dir.Combine("s3"));
        Azure = TestServer.Azure(Dir.Combine("azure"));
        Web = TestServer.Nginx(Dir.Combine("web"));
        ThrottledWeb = TestServer.Nginx(Dir.Combine("web"), throttle: 4);
    }

    /// <summary>The client settings for s3rver (it checks no signature; it does not enforce exclusive create, so writers mount single-writer).</summary>
    public RemoteStoreOptions S3Options(bool singleWriter = true) =>
        new() { Endpoint = S3.Endpoint, UserName = "S3RVER", Secret = "S3RVER", SingleWriter = singleWriter };

    public RemoteStoreOptions AzureOptions(int retries = 8) => new() { ConnectionString = Azure.AzureConnectionString, MaxRetries = retries };

    public void Dispose()
    {
        S3.Dispose();
        Azure.Dispose();
        Web.Dispose();
        ThrottledWeb.Dispose();
        Dir.Dispose();
    }
}
