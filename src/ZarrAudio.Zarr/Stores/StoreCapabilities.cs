namespace ZarrAudio.Zarr.Stores;

/// <summary>What a store can do beyond reading, asked in one place: a change or a listing it cannot make is refused here.</summary>
public static class StoreCapabilities
{
    public static bool CanList(this IReadableStore store) => store is IListableStore;

    /// <summary>True for a store that takes writes now (not a web server, not opened read-only).</summary>
    public static bool CanWrite(this IReadableStore store) => store is IWritableStore { IsReadOnly: false };

    /// <summary>The store, for a change; a store that cannot take one is a read-only error naming <paramref name="key"/>.</summary>
    public static IWritableStore Writable(this IReadableStore store, string? key = null) =>
        store is IWritableStore { IsReadOnly: false } writable ? writable : throw ZarrStoreException.ReadOnly($"Store {store.Location}", key);

    /// <summary>The store, for a listing; a store that cannot list (a web server) is an error naming <paramref name="prefix"/>.</summary>
    public static IListableStore Listable(this IReadableStore store, string? prefix = null) =>
        store as IListableStore ?? throw new ZarrStoreException($"Store {store.Location} cannot list what it holds", prefix);
}
