namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// What every remote store does the same around a ranged GET: a suffix range becomes an explicit one (not every
/// server honours <c>bytes=-N</c>: s3rver returns the whole object, Azure has no suffix form), and an empty range is
/// only an existence check.
/// </summary>
internal static class RemoteRange
{
    /// <summary>The range's bytes through <paramref name="get"/> (given an explicit, non-empty range), or null when the key is absent.</summary>
    public static async ValueTask<byte[]?> GetAsync(IReadableStore store, string key, ByteRange range, Func<ByteRange, Task<byte[]?>> get, CancellationToken ct)
    {
        if (range.IsSuffix)
        {
            if (await store.GetSizeAsync(key, ct).ConfigureAwait(false) is not { } size) return null;
            var (offset, length) = range.Resolve(size);
            range = ByteRange.FromOffset(offset, length);
        }
        if (range.Length == 0) return await store.ExistsAsync(key, ct).ConfigureAwait(false) ? [] : null;
        return await get(range).ConfigureAwait(false);
    }
}
