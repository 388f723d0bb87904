using System.Text.Json.Nodes;
using ZarrAudio.Zarr;

namespace ZarrAudio.Archive;

/// <summary>
/// Brackets every change of a recording's zarr.json (commit, metadata change, removal) with the catalog's pending
/// marker, for every archive that keeps a catalog, whoever lists through it (<see cref="RecordingCatalog"/>).
/// </summary>
internal sealed class CatalogUpdates(ArchiveStore place, RecordingCatalog catalog)
{
    /// <summary>Marks a recording's zarr.json as changing.</summary>
    public async Task BeginAsync(long id)
    {
        if (place.HasCatalog) await catalog.BeginChangeAsync(id, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts a recording's new attributes (null: removed) into the catalog. The change itself is stored already: if the
    /// catalog cannot be updated now, its pending marker stays, readers take that recording from its zarr.json, and a
    /// repair folds it in later; the change is not undone or reported as failed.
    /// </summary>
    public async Task EndAsync(long id, JsonObject? attributes)
    {
        if (!place.HasCatalog) return;
        try { await catalog.EndChangeAsync(id, attributes, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is ZarrException or ArchiveBusyException or IOException) { }
    }
}
