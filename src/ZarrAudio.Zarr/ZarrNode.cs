using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr;

/// <summary>A group or array at a path of a store.</summary>
public abstract class ZarrNode
{
    protected ZarrNode(IReadableStore store, string path)
    {
        Store = store;
        Path = path;
    }

    public IReadableStore Store { get; }

    /// <summary>The store, for a change: refused when it cannot be written or was opened read-only.</summary>
    protected IWritableStore Writable => Store.Writable(NodeName.MetadataKey(Path));

    /// <summary>The store, for a listing: refused when it cannot list (a web server).</summary>
    protected IListableStore Listable => Store.Listable(NodeName.MetadataKey(Path));
    /// <summary>The node's path inside the store, without leading or trailing '/'; "" for the root.</summary>
    public string Path { get; }
    public string Name => Path.Length == 0 ? "" : Path[(Path.LastIndexOf('/') + 1)..];

    internal static async ValueTask<NodeMetadata?> TryReadMetadataAsync(IReadableStore store, string path, CancellationToken cancellationToken)
    {
        var bytes = await store.GetAsync(NodeName.MetadataKey(path), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : NodeMetadata.Parse(bytes, path);
    }

    /// <summary>Reads a node's metadata; the node type decides what comes back.</summary>
    public static async ValueTask<ZarrNode> OpenNodeAsync(IReadableStore store, string path, CancellationToken cancellationToken = default)
    {
        path = NodeName.NormalizePath(path);
        return await TryReadMetadataAsync(store, path, cancellationToken).ConfigureAwait(false) switch
        {
            GroupMetadata g => new ZarrGroup(store, path, g),
            ArrayMetadata a => new ZarrArray(store, path, a),
            _ => throw new ZarrNodeNotFoundException("No Zarr node here", path, NodeName.MetadataKey(path)),
        };
    }
}
