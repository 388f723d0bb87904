using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr;

/// <summary>A Zarr v3 group: attributes, and children found by listing the store.</summary>
public sealed class ZarrGroup : ZarrNode
{
    internal ZarrGroup(IReadableStore store, string path, GroupMetadata metadata) : base(store, path) => Metadata = metadata;

    public GroupMetadata Metadata { get; private set; }
    public JsonObject Attributes => Metadata.Attributes;

    public static async ValueTask<ZarrGroup> OpenAsync(IReadableStore store, string path = "", CancellationToken cancellationToken = default)
    {
        path = NodeName.NormalizePath(path);
        return await TryReadMetadataAsync(store, path, cancellationToken).ConfigureAwait(false) switch
        {
            GroupMetadata g => new ZarrGroup(store, path, g),
            ArrayMetadata => throw new ZarrNodeNotFoundException("Expected a group but found an array", path),
            _ => throw new ZarrNodeNotFoundException("No group here", path, NodeName.MetadataKey(path)),
        };
    }

    /// <summary>Writes a group's zarr.json (replacing any there) and returns it.</summary>
    public static async ValueTask<ZarrGroup> CreateAsync(IWritableStore store, string path = "", JsonObject? attributes = null, CancellationToken cancellationToken = default)
    {
        path = NodeName.NormalizePath(path);
        var metadata = new GroupMetadata { Attributes = attributes ?? new JsonObject() };
        await store.SetAsync(NodeName.MetadataKey(path), metadata.ToBytes(), cancellationToken).ConfigureAwait(false);
        return new ZarrGroup(store, path, metadata);
    }

    /// <summary>Creates the group and every missing parent group (Zarr v3 has no implicit groups).</summary>
    public static async ValueTask<ZarrGroup> OpenOrCreateAsync(IWritableStore store, string path, JsonObject? attributes = null, CancellationToken cancellationToken = default)
    {
        path = NodeName.NormalizePath(path);
        var parts = path.Length == 0 ? [] : path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var parent = string.Join('/', parts[..i]);
            if (await TryReadMetadataAsync(store, parent, cancellationToken).ConfigureAwait(false) is null)
                await CreateAsync(store, parent, null, cancellationToken).ConfigureAwait(false);
        }
        return await TryReadMetadataAsync(store, path, cancellationToken).ConfigureAwait(false) switch
        {
            GroupMetadata g => new ZarrGroup(store, path, g),
            ArrayMetadata => throw new ZarrNodeNotFoundException("Expected a group but found an array", path),
            _ => await CreateAsync(store, path, attributes, cancellationToken).ConfigureAwait(false),
        };
    }

    public async ValueTask SetAttributesAsync(JsonObject attributes, CancellationToken cancellationToken = default)
    {
        var metadata = new GroupMetadata { Attributes = (JsonObject)attributes.DeepClone() };
        await Writable.SetAsync(NodeName.MetadataKey(Path), metadata.ToBytes(), cancellationToken).ConfigureAwait(false);
        Metadata = metadata;
    }

    /// <summary>Names of child nodes (those with a zarr.json), in ordinal order.</summary>
    public async IAsyncEnumerable<string> ListChildrenAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = Path.Length == 0 ? "" : Path + "/";
        var names = new List<string>();
        await foreach (var name in Listable.ListDirectoryAsync(prefix, cancellationToken).ConfigureAwait(false))
            if (name != NodeMetadata.Key && !name.StartsWith("__", StringComparison.Ordinal)) names.Add(name);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
            if (await Store.ExistsAsync(prefix + name + "/" + NodeMetadata.Key, cancellationToken).ConfigureAwait(false))
                yield return name;
    }

    public ValueTask<ZarrGroup> CreateGroupAsync(string name, JsonObject? attributes = null, CancellationToken cancellationToken = default)
    {
        NodeName.Validate(name, Path);
        return CreateAsync(Writable, NodeName.Join(Path, name), attributes, cancellationToken);
    }

    public ValueTask<ZarrGroup> OpenGroupAsync(string name, CancellationToken cancellationToken = default)
    {
        NodeName.Validate(name, Path);
        return OpenAsync(Store, NodeName.Join(Path, name), cancellationToken);
    }

    public ValueTask<ZarrArray> CreateArrayAsync(string name, ArrayMetadata metadata, CancellationToken cancellationToken = default)
    {
        NodeName.Validate(name, Path);
        return ZarrArray.CreateAsync(Writable, NodeName.Join(Path, name), metadata, cancellationToken);
    }

    public ValueTask<ZarrArray> OpenArrayAsync(string name, CancellationToken cancellationToken = default)
    {
        NodeName.Validate(name, Path);
        return ZarrArray.OpenAsync(Store, NodeName.Join(Path, name), cancellationToken);
    }

    /// <summary>Deletes a child and everything below it.</summary>
    public async ValueTask DeleteChildAsync(string name, CancellationToken cancellationToken = default)
    {
        NodeName.Validate(name, Path);
        var prefix = NodeName.Join(Path, name) + "/";
        var keys = new List<string>();
        await foreach (var key in Listable.ListPrefixAsync(prefix, cancellationToken).ConfigureAwait(false)) keys.Add(key);
        // zarr.json goes first, so a half-deleted child is no longer a node.
        keys.Sort((a, b) => (b == prefix + NodeMetadata.Key).CompareTo(a == prefix + NodeMetadata.Key));
        foreach (var key in keys) await Writable.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }
}
