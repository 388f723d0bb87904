// A second process for the cross-process import tests: imports every file given into the archive at args[0]
// (any location AudioArchive opens; an Azure connection string comes from AZURE_STORAGE_CONNECTION_STRING), tagging
// each with user.worker = args[1]. ZARRAUDIO_TEST_LEASE_SECONDS shortens the claim lease (lease-expiry tests);
// ZARRAUDIO_HOST gives the process a host identity of its own.
using ZarrAudio.Archive;

using var archive = await AudioArchive.MountAsync(args[0], "", create: false);
if (Environment.GetEnvironmentVariable("ZARRAUDIO_TEST_LEASE_SECONDS") is { Length: > 0 } lease)
    archive.ClaimLease = TimeSpan.FromSeconds(double.Parse(lease, System.Globalization.CultureInfo.InvariantCulture));
await Task.WhenAll(args[2..].Select(file => archive.ImportFileAsync(file, new ImportOptions { Force = true, UserMetadata = new Dictionary<string, object?> { ["worker"] = args[1] } })));
