using System.Text;

namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// The one-writer lock of a zip store: <c>&lt;zip&gt;.lock</c>, created exclusively, holding the writer's process id
/// and host. A lock left by a dead process of this host is taken over; one held by a live process (or another host)
/// refuses the second writer with <see cref="ZarrStoreLockedException"/>.
/// </summary>
internal sealed class ZipWriterLock : IDisposable
{
    private readonly string _path;
    private ZipWriterLock(string path) => _path = path;

    public static ZipWriterLock Acquire(string zipPath)
    {
        var path = zipPath + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var mine = Encoding.UTF8.GetBytes(ProcessStamp.OfThisProcess().ToJson().ToJsonString());
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                file.Write(mine);
                return new ZipWriterLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = ReadHolder(path);
                if (holder is not null && holder.IsGone(maxAge: null))
                {
                    File.Delete(path); // left by a process that died (kill -9): take it over
                    continue;
                }
                throw new ZarrStoreLockedException(
                    $"Zip file '{zipPath}' is open for writing by {(object?)holder ?? "another writer"}. A zip archive has one writer at a time: mount it with -ReadOnly, or wait until that writer dismounts (if it is gone for good, delete '{path}').", path);
            }
        }
        throw new ZarrStoreLockedException($"Could not take the writer lock '{path}' of zip file '{zipPath}'.", path);
    }

    private static ProcessStamp? ReadHolder(string path)
    {
        try { return ProcessStamp.ParseRecord(File.ReadAllBytes(path)) is { } record ? ProcessStamp.FromJson(record) : null; }
        catch (Exception e) when (e is IOException or InvalidOperationException) { return null; }
    }

    public void Dispose()
    {
        try { File.Delete(_path); }
        catch (IOException) { }
    }
}
