using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Mounts an archive at a group of a store and makes it the runspace's default. Mounting the same store and
/// group again (with the same access) gives the same archive object back, made the default again.
/// </summary>
[Cmdlet(VerbsData.Mount, "ZarrAudio", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(AudioArchive))]
public sealed class MountZarrAudioCommand : ZarrAudioCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string UriSet = "Uri";

    /// <summary>
    /// A directory or .zip file holding the store (wildcards allowed when they match one item), or a store address:
    /// s3://bucket/prefix, az://account/container/prefix, https://account.blob.core.windows.net/container/prefix,
    /// http(s)://host/path (read-only) or memory://name.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string LiteralPath { get; set; } = "";

    /// <summary>A store address: s3://, az://, http(s):// or memory://name (an in-process store).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UriSet)]
    public Uri Uri { get; set; } = null!;

    /// <summary>The group inside the store to mount at ("" or "/" for the root).</summary>
    [Parameter(Position = 1)]
    public string Group { get; set; } = "";

    /// <summary>Create the store, the group and the archive if they do not exist.</summary>
    [Parameter]
    public SwitchParameter Create { get; set; }

    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>An S3-compatible or Azure service address other than the public cloud's (MinIO, Ceph, Azurite).</summary>
    [Parameter]
    public Uri? Endpoint { get; set; }

    /// <summary>The S3 region (default: AWS_REGION, the profile's, else us-east-1).</summary>
    [Parameter]
    public string? Region { get; set; }

    /// <summary>A profile of the shared AWS config and credentials files.</summary>
    [Parameter]
    public string? Profile { get; set; }

    /// <summary>S3: the access key id and secret access key; Azure: the account name and account key.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>An Azure Storage connection string (default: AZURE_STORAGE_CONNECTION_STRING).</summary>
    [Parameter]
    public string? ConnectionString { get; set; }

    /// <summary>Unsigned requests, for public buckets and containers.</summary>
    [Parameter]
    public SwitchParameter Anonymous { get; set; }

    /// <summary>
    /// Promise that no other process writes this archive; needed to write to a server that does not refuse a second
    /// exclusive create of a key (s3rver, some older S3-compatible servers), where concurrent writers would be unsafe.
    /// </summary>
    [Parameter]
    public SwitchParameter SingleWriter { get; set; }

    /// <summary>How long an import's claim lives without renewal (default 2 minutes); see docs/SCALE.md.</summary>
    [Parameter]
    public TimeSpan? ClaimLease { get; set; }

    protected override void ProcessRecord()
    {
        if (ClaimLease is { } asked && asked < TimeSpan.FromSeconds(1))
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(ClaimLease), asked, "A claim lease must be at least one second."),
                "InvalidClaimLease", ErrorCategory.InvalidArgument, asked));
        string location;
        try
        {
            location = ParameterSetName switch
            {
                UriSet => Uri.OriginalString,
                LiteralPathSet => GetUnresolvedProviderPathFromPSPath(LiteralPath),
                _ when StoreLocation.IsAddress(Path) => Path,
                _ => PathResolver.ResolveOne(this, Path, allowMissing: Create),
            };
            var shown = StoreLocation.Redact(location);
            var key = $"{location}|{Zarr.NodeName.NormalizePath(Group)}|{(ReadOnly ? "ro" : "rw")}";
            if (MountRegistry.Find(key) is { } mounted)
            {
                WriteVerbose($"{mounted.Location} is mounted already; it is the default again.");
                if (ClaimLease is { } again) mounted.ClaimLease = again;
                MountRegistry.Add(mounted, key);
                WriteObject(mounted);
                return;
            }
            // -Create may write (a new folder, zip or group); -WhatIf says so and mounts nothing.
            if (Create && !ShouldProcess($"{shown} group '{Group}'", "Mount, creating the archive if it does not exist")) return;
            var remote = new Zarr.Stores.Remote.RemoteStoreOptions
            {
                Endpoint = Endpoint,
                Region = Region,
                Profile = Profile,
                UserName = Credential?.UserName,
                Secret = Credential?.GetNetworkCredential().Password,
                ConnectionString = ConnectionString,
                Anonymous = Anonymous,
                SingleWriter = SingleWriter,
            };
            WriteVerbose($"Mounting {shown}{(Endpoint is null ? "" : $" at {Endpoint.GetLeftPart(UriPartial.Authority)}")}.");
            var archive = Run(ct => AudioArchive.MountAsync(location, Group, Create, ReadOnly, ct, remote));
            if (ClaimLease is { } lease) archive.ClaimLease = lease;
            if (archive.Warning is { } warning) WriteWarning(warning);
            MountRegistry.Add(archive, key);
            WriteVerbose($"Mounted {archive.Location}{(archive.IsReadOnly ? " read-only" : "")}{(archive.BuffersWrites ? "; changes are written to the zip file at the end of each cmdlet" : "")}.");
            WriteObject(archive);
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            ThrowTerminatingError(ErrorRecords.From(e, StoreLocation.Redact(Path.Length > 0 ? Path : LiteralPath.Length > 0 ? LiteralPath : Uri?.OriginalString ?? "")));
        }
    }
}
