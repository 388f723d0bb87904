using System.Management.Automation.Runspaces;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>
/// The archives each runspace has mounted, in mount order; the last one still mounted is the default for
/// -Archive. Runspaces (a ThreadJob, a ForEach-Object -Parallel block) each have their own list. On module
/// removal (the psm1's OnRemove) a runspace's archives are dismounted; at process exit every archive is (a .zip
/// is written out).
/// </summary>
internal static class MountRegistry
{
    private static readonly object Gate = new();
    // Each mount with what it was asked for (location, group, access), to give the same object for the same request.
    private static readonly Dictionary<Guid, List<(AudioArchive Archive, string Key)>> Mounts = [];

    private static Guid CurrentRunspace => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    private static List<(AudioArchive Archive, string Key)> Current()
    {
        if (!Mounts.TryGetValue(CurrentRunspace, out var list)) Mounts[CurrentRunspace] = list = [];
        list.RemoveAll(m => !m.Archive.IsMounted); // dismounted some other way (e.g. .Dispose())
        return list;
    }

    public static AudioArchive? Default()
    {
        lock (Gate) return Current().LastOrDefault().Archive;
    }

    public static IReadOnlyList<AudioArchive> All()
    {
        lock (Gate) return [.. Current().Select(m => m.Archive)];
    }

    /// <summary>The archive this runspace mounted for the same request (location, group, access), if any.</summary>
    public static AudioArchive? Find(string key)
    {
        lock (Gate) return Current().LastOrDefault(m => m.Key == key).Archive;
    }

    /// <summary>Adds the archive (or moves it) to the end of the list: it becomes the default.</summary>
    public static void Add(AudioArchive archive, string key)
    {
        lock (Gate)
        {
            var list = Current();
            list.RemoveAll(m => ReferenceEquals(m.Archive, archive));
            list.Add((archive, key));
        }
    }

    /// <summary>Forgets the archive; the one mounted before it becomes the default again.</summary>
    public static void Remove(AudioArchive archive)
    {
        lock (Gate) Current().RemoveAll(m => ReferenceEquals(m.Archive, archive));
    }

    /// <summary>At process exit: dismounts every runspace's archives (module removal uses Dismount-ZarrAudio -All).</summary>
    public static void DismountEverything()
    {
        List<AudioArchive> archives;
        lock (Gate)
        {
            archives = [.. Mounts.Values.SelectMany(l => l).Select(m => m.Archive)];
            Mounts.Clear();
        }
        foreach (var archive in archives)
        {
            try { archive.Dispose(); }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                // Nowhere to report at exit but stderr; a lost zip must not be silent.
                Console.Error.WriteLine($"ZarrAudio: {archive.Location} could not be written out: {e.Message}");
            }
        }
    }
}
