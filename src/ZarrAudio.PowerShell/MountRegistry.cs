using System.Collections.Concurrent;
using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>The archive each runspace mounted last: the default for -Archive.</summary>
internal static class MountRegistry
{
    private static readonly ConcurrentDictionary<Guid, AudioArchive> Defaults = new();

    private static Guid Key(PSCmdlet cmdlet) => cmdlet.Host.InstanceId;

    public static AudioArchive? Default(PSCmdlet cmdlet) => Defaults.TryGetValue(Key(cmdlet), out var a) ? a : null;
    public static void SetDefault(PSCmdlet cmdlet, AudioArchive archive) => Defaults[Key(cmdlet)] = archive;

    public static void Forget(PSCmdlet cmdlet, AudioArchive archive)
    {
        var key = Key(cmdlet);
        if (Defaults.TryGetValue(key, out var current) && ReferenceEquals(current, archive)) Defaults.TryRemove(key, out _);
    }
}
