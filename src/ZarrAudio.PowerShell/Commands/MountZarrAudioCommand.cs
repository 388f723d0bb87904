using System.Management.Automation;
using ZarrAudio.Archive;

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

    /// <summary>A directory or .zip file holding the store; wildcards allowed when they match one item.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string LiteralPath { get; set; } = "";

    /// <summary>A store URI: memory://name for an in-process store.</summary>
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

    protected override void ProcessRecord()
    {
        string location;
        try
        {
            location = ParameterSetName switch
            {
                UriSet => Uri.OriginalString,
                LiteralPathSet => GetUnresolvedProviderPathFromPSPath(LiteralPath),
                _ => PathResolver.ResolveOne(this, Path, allowMissing: Create),
            };
            var key = $"{location}|{Zarr.NodeName.NormalizePath(Group)}|{(ReadOnly ? "ro" : "rw")}";
            if (MountRegistry.Find(key) is { } mounted)
            {
                WriteVerbose($"{mounted.Location} is mounted already; it is the default again.");
                MountRegistry.Add(mounted, key);
                WriteObject(mounted);
                return;
            }
            // -Create may write (a new folder, zip or group); -WhatIf says so and mounts nothing.
            if (Create && !ShouldProcess($"{location} group '{Group}'", "Mount, creating the archive if it does not exist")) return;
            var archive = Run(ct => AudioArchive.MountAsync(location, Group, Create, ReadOnly, ct));
            MountRegistry.Add(archive, key);
            WriteVerbose($"Mounted {archive.Location}{(archive.IsReadOnly ? " read-only" : "")}{(archive.BuffersWrites ? "; changes are written to the zip file at the end of each cmdlet" : "")}.");
            WriteObject(archive);
        }
        catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException or IOException or ItemNotFoundException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ErrorRecords.From(e, Path.Length > 0 ? Path : LiteralPath));
        }
    }
}
