using System.Management.Automation.Runspaces;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>
/// The archives each runspace has mounted, in mount order; the last one still mounted is the default for
/// -Archive. Runspaces (a ThreadJob, a ForEach-Object -Parallel block) each have their own list. On module
/// removal a runspace's archives are dismounted; at process exit every archive is (a .zip is written out).
/// </summary>
internal static class MountRegistry
{
    private static readonly object Gate = new();
    private static readonly Dictionary<Guid, List<AudioArchive>> Mounts = [];
    // What each mount was asked for (location, group, access), to give the same object for the same request.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AudioArchive, string> Keys = [];

    private static Guid CurrentRunspace => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    private static List<AudioArchive> Current()
    {
        if (!Mounts.TryGetValue(CurrentRunspace, out var list)) Mounts[CurrentRunspace] = list = [];
        list.RemoveAll(a => !a.IsMounted); // dismounted some other way (e.g. .Dispose())
        return list;
    }

    public static AudioArchive? Default()
    {
        lock (Gate) return Current().LastOrDefault();
    }

    public static IReadOnlyList<AudioArchive> All()
    {
        lock (Gate) return [.. Current()];
    }

    /// <summary>The archive this runspace mounted for the same request (location, group, access), if any.</summary>
    public static AudioArchive? Find(string key)
    {
        lock (Gate) return Current().LastOrDefault(a => Keys.TryGetValue(a, out var k) && k == key);
    }

    /// <summary>Adds the archive (or moves it) to the end of the list: it becomes the default.</summary>
    public static void Add(AudioArchive archive, string key)
    {
        lock (Gate)
        {
            Keys.AddOrUpdate(archive, key);
            var list = Current();
            list.Remove(archive);
            list.Add(archive);
        }
    }

    /// <summary>Forgets the archive; the one mounted before it becomes the default again.</summary>
    public static void Remove(AudioArchive archive)
    {
        lock (Gate) Current().Remove(archive);
    }

    /// <summary>Dismounts this runspace's archives (module removal), or every runspace's (process exit).</summary>
    public static void DismountAll(bool everyRunspace)
    {
        List<AudioArchive> archives;
        lock (Gate)
        {
            archives = everyRunspace ? [.. Mounts.Values.SelectMany(l => l)] : [.. Current()];
            if (everyRunspace) Mounts.Clear();
            else Mounts.Remove(CurrentRunspace);
        }
        foreach (var archive in archives)
        {
            try { archive.Dispose(); }
            catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException or IOException)
            {
                // Nowhere to report at exit but stderr; a lost zip must not be silent.
                Console.Error.WriteLine($"ZarrAudio: {archive.Location} could not be written out: {e.Message}");
            }
        }
    }
}
