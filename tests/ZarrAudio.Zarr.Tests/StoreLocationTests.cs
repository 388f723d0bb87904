using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;
using ZarrAudio.Zarr.Stores.Remote;

namespace ZarrAudio.Zarr.Tests;

public class StoreLocationTests
{
    [Theory]
    [InlineData("s3://bucket/some/prefix", typeof(S3Store), "s3://bucket/some/prefix")]
    [InlineData("s3://bucket", typeof(S3Store), "s3://bucket")]
    [InlineData("az://acct/cont/p/q", typeof(AzureBlobStore), "az://acct/cont/p/q")]
    [InlineData("https://acct.blob.core.windows.net/cont/p", typeof(AzureBlobStore), "az://acct/cont/p")]
    [InlineData("https://user:pw@example.org/pub/archive?sig=abc", typeof(HttpStore), "https://example.org/pub/archive")]
    public void AddressesOpenTheirStoreAndShowNoSecret(string location, Type kind, string shown)
    {
        using var store = StoreLocation.Open(location, create: false, readOnly: true,
            new RemoteStoreOptions { UserName = "id", Secret = Convert.ToBase64String("secret"u8.ToArray()), Anonymous = false });
        Assert.IsType(kind, store);
        Assert.Equal(shown, store.Location);
        Assert.True(store.IsRemote);
        Assert.DoesNotContain("pw", StoreLocation.Redact(location).Replace("https", ""));
        Assert.DoesNotContain("sig=", StoreLocation.Redact(location));
    }

    [Fact]
    public void BadAddressesAreRefusedClearly()
    {
        Assert.Throws<StoreAddressException>(() => StoreLocation.Open("s3://", false, true));
        Assert.Throws<StoreAddressException>(() => StoreLocation.Open("az://acct", false, true));
        var create = Assert.Throws<StoreAddressException>(() => StoreLocation.Open("http://example.org/x", create: true, readOnly: false));
        Assert.Contains("read-only", create.Message);
        var profile = Assert.Throws<ZarrStoreException>(() => StoreLocation.Open("s3://bucket/x", false, true, new RemoteStoreOptions { Profile = "no-such-profile-zarraudio" }));
        Assert.Equal(StoreFailure.AccessDenied, profile.Failure);
        Assert.Contains("no-such-profile-zarraudio", profile.Message);
        // Names the services refuse are refused before any request, with the rule.
        foreach (var name in new[] { "ab", "a--b", "-abc", "Archive", new string('a', 64) })
            Assert.Contains("not a valid Azure container name", Assert.Throws<StoreAddressException>(() => StoreLocation.Open($"az://acct/{name}/p", false, true)).Message);
        foreach (var name in new[] { "ab", "my_bucket", "Bucket", "a..b", "-abc" })
            Assert.Contains("not a valid S3 bucket name", Assert.Throws<StoreAddressException>(() => StoreLocation.Open($"s3://{name}/p", false, true)).Message);
        using (StoreLocation.Open("az://acct/a-b-1/p", false, true, new RemoteStoreOptions { Anonymous = true })) { }
        using (StoreLocation.Open("s3://my.bucket-1/p", false, true, new RemoteStoreOptions { Anonymous = true })) { }
        var connection = Assert.Throws<ZarrStoreException>(() => StoreLocation.Open("az://acct/cont", false, true, new RemoteStoreOptions { ConnectionString = "AccountKey=topsecret;garbage" }));
        Assert.DoesNotContain("topsecret", connection.ToString());
    }
}
