namespace ZarrAudio.Zarr.Stores;

/// <summary>Checks and joins store keys.</summary>
public static class StoreKey
{
    public static string Join(string prefix, string name)
    {
        if (prefix.Length == 0) return name;
        if (name.Length == 0) return prefix;
        return prefix.EndsWith('/') ? prefix + name : prefix + "/" + name;
    }

    /// <summary>Throws on keys that could escape a directory or that the spec does not allow.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.StartsWith('/') || key.EndsWith('/') || key.Contains('\\') || key.Contains("//") || key.Contains('\0'))
            throw new ZarrStoreException("Invalid store key", key);
        foreach (var segment in key.Split('/'))
            if (segment is "." or "..")
                throw new ZarrStoreException("Store keys may not contain '.' or '..' segments", key);
    }

    /// <summary>For a write: refuses it when the store is read-only, then checks the key.</summary>
    public static void ValidateForWrite(IWritableStore store, string key)
    {
        if (store.IsReadOnly) throw ZarrStoreException.ReadOnly($"Store {store.Location}", key);
        Validate(key);
    }

    public static string NormalizePrefix(string prefix) =>
        prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
}
