namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// Asks a server whether it enforces exclusive create: a scratch key is created twice with the server's conditional
/// write, and removed. Only a refused second create proves it (s3rver stores both).
/// </summary>
internal static class ExclusiveCreateProbe
{
    /// <param name="createIfAbsent">The server's own conditional write of the scratch key: true when it stored the value.</param>
    public static async Task<bool> SecondIsRefusedAsync(Func<byte[], Task<bool>> createIfAbsent, Func<Task> remove)
    {
        try
        {
            await createIfAbsent("1"u8.ToArray()).ConfigureAwait(false);
            return !await createIfAbsent("2"u8.ToArray()).ConfigureAwait(false);
        }
        finally { await remove().ConfigureAwait(false); }
    }
}
