using System.Runtime.InteropServices;

namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// Makes what a local store wrote survive a power cut, in the order that keeps an archive whole: a file's data is
/// flushed (fsync) before the rename or link that publishes it, and the directories holding the new name are flushed
/// after it, before the write returns. .NET flushes a file (<see cref="FileStream.Flush(bool)"/>) but cannot open a
/// directory, so directories are opened and flushed through libc, as SQLite and git do.
/// </summary>
internal static partial class DurableFiles
{
    private const int OpenReadOnly = 0;
    private const int EINVAL = 22, EACCES = 13, EPERM = 1;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>
    /// Flushes <paramref name="dir"/> and each directory above it up to and including <paramref name="top"/>, so that a
    /// name just published, and every folder made for it (by this writer or a concurrent one), is on the device.
    /// </summary>
    public static void FlushDirectories(string dir, string top)
    {
        // Windows: NTFS journals its directory changes, and no directory handle can be flushed from .NET.
        if (OperatingSystem.IsWindows()) return;
        for (var d = dir; ; d = Path.GetDirectoryName(d)!)
        {
            FlushDirectory(d);
            if (d.Length <= top.Length || Path.GetDirectoryName(d) is null) return;
        }
    }

    /// <param name="bestEffort">For a folder outside the store: one that cannot be opened (no read permission) is left.</param>
    public static void FlushDirectory(string dir, bool bestEffort = false)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(dir, OpenReadOnly);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            // Removed meanwhile by a cleanup: then there is nothing under it to keep.
            if (!Directory.Exists(dir) || bestEffort && errno is EACCES or EPERM) return;
            throw new IOException($"Cannot open the folder '{dir}' to flush it (errno {errno}).", errno);
        }
        try
        {
            // Some file systems cannot flush a directory (EINVAL); they keep their metadata otherwise.
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is var error && error != EINVAL)
                throw new IOException($"Cannot flush the folder '{dir}' to the disk (errno {error}).", error);
        }
        finally { Close(fd); }
    }
}
