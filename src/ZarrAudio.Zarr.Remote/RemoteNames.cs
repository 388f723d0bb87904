using System.Text.RegularExpressions;

namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// The services' naming rules for buckets and containers, checked before any request: a name the service would refuse
/// is said with its rule, not as the server's 400 after a round trip.
/// </summary>
internal static partial class RemoteNames
{
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketRule();

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerRule();

    public static void CheckBucket(string bucket, string location)
    {
        if (!BucketRule().IsMatch(bucket) || bucket.Contains(".."))
            throw new StoreAddressException($"{location}: '{bucket}' is not a valid S3 bucket name: a bucket name has 3 to 63 characters, lowercase letters, digits, dots and hyphens (no underscores, no capitals), and begins and ends with a letter or digit.") { IsMalformed = true };
    }

    public static void CheckContainer(string container, string location)
    {
        if (!ContainerRule().IsMatch(container))
            throw new StoreAddressException($"{location}: '{container}' is not a valid Azure container name: a container name has 3 to 63 characters, lowercase letters, digits and hyphens, begins and ends with a letter or digit, and has no two hyphens in a row.") { IsMalformed = true };
    }
}
