using System.Runtime.InteropServices;

namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// Publishes a finished file under a new name only if that name is free, atomically across processes.
/// File.Move(overwrite: false) cannot: on Unix it checks and then renames, so two callers can both win.
/// link(2) fails with EEXIST instead; on Windows a non-replacing move is atomic.
/// </summary>
internal static partial class ExclusiveLink
{
    private const int EEXIST = 17;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);

    /// <returns>True if <paramref name="target"/> now holds the file; false if it already existed.</returns>
    public static bool TryPublish(string source, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            try { File.Move(source, target, overwrite: false); return true; }
            catch (IOException) when (File.Exists(target)) { return false; }
        }
        if (Link(source, target) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return false;
        throw new ZarrStoreException($"Cannot create '{target}' exclusively (errno {errno})");
    }
}
