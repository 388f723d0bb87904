using System.Text;
using System.Text.Json.Nodes;

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
        var mine = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["pid"] = Environment.ProcessId,
            ["host"] = Environment.MachineName,
            ["since"] = DateTimeOffset.UtcNow.ToString("o"),
        }.ToJsonString());
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
                if (holder is { Host: var host, Pid: var pid } && host == Environment.MachineName && !ProcessLiveness.IsAlive(pid))
                {
                    File.Delete(path); // left by a process that died (kill -9): take it over
                    continue;
                }
                var who = holder is null ? "another writer" : $"process {holder.Value.Pid} on {holder.Value.Host}";
                throw new ZarrStoreLockedException(
                    $"Zip file '{zipPath}' is open for writing by {who}. A zip archive has one writer at a time: mount it with -ReadOnly, or wait until that writer dismounts (if it is gone for good, delete '{path}').", path);
            }
        }
        throw new ZarrStoreLockedException($"Could not take the writer lock '{path}' of zip file '{zipPath}'.", path);
    }

    private static (int Pid, string Host)? ReadHolder(string path)
    {
        try
        {
            var info = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject;
            return info?["pid"]?.GetValue<int>() is { } pid && info["host"]?.GetValue<string>() is { } host ? (pid, host) : null;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException) { return null; }
    }

    public void Dispose()
    {
        try { File.Delete(_path); }
        catch (IOException) { }
    }
}
