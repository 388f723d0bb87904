using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// The archive's catalog: every committed recording's group metadata, gathered in pages of
/// <see cref="IdsPerPage"/> ids, so a fresh mount lists 10,000 recordings in about a hundred requests (made 16 at a
/// time) instead of 10,000.
/// The recordings' own zarr.json stay the truth; the catalog is derived from them and can be rebuilt.
///
/// <para>Keys (below the mount group):</para>
/// <list type="bullet">
/// <item><c>catalog/pages/{n}.json</c>: ids n*100 … n*100+99 (the archive marker's <c>ids_per_page</c>), in zarr-python's consolidated-metadata shape
/// (<c>{"kind": "inline", "must_understand": false, "metadata": {"17": {zarr.json of 17}}}</c>). Pages are never
/// removed and exist for every n up to the highest id's, so a reader without listing (HTTP) finds them all by
/// asking for 0, 1, 2 … until one is missing.</item>
/// <item><c>catalog/pending/{id}</c>: written before any change to that recording's zarr.json (commit, metadata
/// change, removal) and deleted once its page shows the change. A writer killed in between leaves it behind.</item>
/// <item><c>catalog/pages/{n}.lock</c>: held while page n is rewritten (read, change, write).</item>
/// </list>
///
/// <para>Why it is correct without any coordinator: a reader lists the pending markers first and reads the pages
/// after. A change whose marker was gone when the reader listed had reached its page before that, so the page the
/// reader fetches later shows it; a change still marked is read from its zarr.json, the truth. A killed writer's
/// marker therefore costs one extra GET per listing until a repair folds it into its page.</para>
/// </summary>
internal sealed class RecordingCatalog(IReadableStore store, string mountPath, int idsPerPage = RecordingCatalog.IdsPerPage)
{
    /// <summary>
    /// Ids per page in new archives (an archive's own value is in its marker). 100: a page of field recordings' metadata
    /// is 0.3–0.6 MB, which every change of one of them rewrites under the page's lock, and 10,000 recordings are still
    /// listed with 100 GETs made 16 at a time.
    /// </summary>
    public const int IdsPerPage = 100;
    private const int Parallelism = 16;

    private string PagesPrefix => ArchiveLayout.Join(mountPath, "catalog/pages/");
    private string PendingPrefix => ArchiveLayout.Join(mountPath, "catalog/pending/");
    private string PageKey(long page) => PagesPrefix + page.ToString(CultureInfo.InvariantCulture) + ".json";
    private string PendingKey(long id) => PendingPrefix + id.ToString(CultureInfo.InvariantCulture);
    private string PageLockKey(long page) => PagesPrefix + page.ToString(CultureInfo.InvariantCulture) + ".lock";

    /// <summary>The numbers after <paramref name="prefix"/> of the keys below it that end in <paramref name="suffix"/> (ids, page numbers).</summary>
    private async Task<List<long>> ListNumbersAsync(string prefix, string suffix, CancellationToken ct)
    {
        var numbers = new List<long>();
        await foreach (var key in store.Listable(prefix).ListPrefixAsync(prefix, ct).ConfigureAwait(false))
            if (key.EndsWith(suffix, StringComparison.Ordinal)
                && long.TryParse(key.AsSpan(prefix.Length, key.Length - prefix.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                numbers.Add(n);
        return numbers;
    }
    private long PageOf(long id) => id / idsPerPage;

    /// <summary>The catalog's description for the archive marker, so that other readers can find it.</summary>
    public static JsonObject Description() => new()
    {
        ["pages"] = "catalog/pages/{n}.json",
        ["ids_per_page"] = IdsPerPage,
        ["pending"] = "catalog/pending/{id}",
    };

    /// <summary>Says that recording <paramref name="id"/>'s zarr.json is about to change; call before writing it.</summary>
    public async Task BeginChangeAsync(long id, CancellationToken ct)
    {
        var stamp = ProcessStamp.OfThisProcess().ToJson();
        await store.Writable().SetAsync(PendingKey(id), Encoding.UTF8.GetBytes(stamp.ToJsonString()), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts recording <paramref name="id"/>'s group attributes (null: it no longer exists) into its page, under the
    /// page's lock, then clears the recording's pending marker.
    /// </summary>
    public async Task EndChangeAsync(long id, JsonObject? attributes, CancellationToken ct)
    {
        var page = PageOf(id);
        await EnsurePagesBelowAsync(page, ct).ConfigureAwait(false);
        await using (await RecordingLock.AcquireAsync(store.Writable(), PageLockKey(page), $"Catalog page {page}", ct).ConfigureAwait(false))
        {
            var entries = await ReadPageAsync(page, ct).ConfigureAwait(false) ?? new JsonObject();
            var name = id.ToString(CultureInfo.InvariantCulture);
            if (attributes is null) entries.Remove(name);
            else entries[name] = GroupDocument(attributes);
            await WritePageAsync(page, entries, ct).ConfigureAwait(false);
        }
        await store.Writable().DeleteAsync(PendingKey(id), ct).ConfigureAwait(false);
    }

    /// <summary>Pages exist for every number below a new one, so readers that cannot list find them all.</summary>
    private async Task EnsurePagesBelowAsync(long page, CancellationToken ct)
    {
        // Once seen, pages are never removed: each number is checked once per mount, not at every change.
        if (page <= Interlocked.Read(ref _pagesKnownBelow)) return;
        for (var below = page - 1; below >= 0; below--)
            if (!await store.Writable().SetIfAbsentAsync(PageKey(below), PageBytes(new JsonObject()), ct).ConfigureAwait(false)) break;
        long known;
        do known = Interlocked.Read(ref _pagesKnownBelow);
        while (page > known && Interlocked.CompareExchange(ref _pagesKnownBelow, page, known) != known);
    }

    /// <summary>Every page below this number is known to exist.</summary>
    private long _pagesKnownBelow;

    /// <summary>The zarr.json a recording's group holds, as the catalog keeps it.</summary>
    private static JsonObject GroupDocument(JsonObject attributes) => new()
    {
        ["zarr_format"] = 3,
        ["node_type"] = "group",
        ["attributes"] = attributes.DeepClone(),
    };

    private async Task WritePageAsync(long page, JsonObject entries, CancellationToken ct) =>
        await store.Writable().SetAsync(PageKey(page), PageBytes(entries), ct).ConfigureAwait(false);

    private static byte[] PageBytes(JsonObject entries) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["kind"] = "inline",
        ["must_understand"] = false,
        ["metadata"] = entries,
    }.ToJsonString());

    /// <summary>A page's entries (name → group document), null when the page does not exist.</summary>
    private async Task<JsonObject?> ReadPageAsync(long page, CancellationToken ct)
    {
        var bytes = await store.GetAsync(PageKey(page), ct).ConfigureAwait(false);
        if (bytes is null) return null;
        try
        {
            if (JsonNode.Parse(bytes) is JsonObject { } doc && doc["metadata"] is JsonObject entries)
            {
                doc.Remove("metadata");
                return entries;
            }
        }
        catch (JsonException) { }
        throw new CatalogDamagedException($"The catalog page {PageKey(page)} of {store.Location} is damaged; Repair-ZarrAudio rebuilds it from the recordings.");
    }

    /// <summary>
    /// Every committed recording's group attributes, by id, as of now; null when the archive has no catalog yet.
    /// Pending changes are read from the recordings themselves.
    /// </summary>
    public async Task<SortedDictionary<long, JsonObject>?> ReadAsync(CancellationToken ct)
    {
        // The pending markers first, the pages after (see the class comment). A store that cannot list (HTTP) is a
        // published copy: nothing is pending there.
        var pending = store.CanList() ? await ListNumbersAsync(PendingPrefix, "", ct).ConfigureAwait(false) : [];
        var pages = await ReadAllPagesAsync(ct).ConfigureAwait(false);
        if (pages is null) return null;
        var recordings = new SortedDictionary<long, JsonObject>();
        foreach (var entries in pages)
            foreach (var (name, document) in entries)
                if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && document?["attributes"] is JsonObject attributes)
                    recordings[id] = attributes;
        var truths = await Task.WhenAll(pending.Select(async id => (Id: id, Group: await TryOpenAsync(id, ct).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (id, group) in truths)
            if (group is null) recordings.Remove(id);
            else recordings[id] = group.Attributes;
        return recordings;
    }

    private async Task<ZarrGroup?> TryOpenAsync(long id, CancellationToken ct)
    {
        try { return await ZarrGroup.OpenAsync(store, ArchiveLayout.RecordingPath(mountPath, id), ct).ConfigureAwait(false); }
        catch (ZarrNodeNotFoundException) { return null; }
    }

    /// <summary>Every page's entries, or null when there is no page at all.</summary>
    private async Task<List<JsonObject>?> ReadAllPagesAsync(CancellationToken ct)
    {
        if (store.CanList())
        {
            var numbers = await ListNumbersAsync(PagesPrefix, ".json", ct).ConfigureAwait(false);
            if (numbers.Count == 0) return null;
            var read = new JsonObject?[numbers.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, numbers.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                async (i, c) => read[i] = await ReadPageAsync(numbers[i], c).ConfigureAwait(false)).ConfigureAwait(false);
            return read.OfType<JsonObject>().ToList();
        }
        // No listing: ask for pages 16 at a time until one is missing (pages are contiguous from 0).
        var found = new List<JsonObject>();
        for (long first = 0; ; first += Parallelism)
        {
            var window = await Task.WhenAll(Enumerable.Range(0, Parallelism).Select(i => ReadPageAsync(first + i, ct))).ConfigureAwait(false);
            foreach (var page in window)
            {
                if (page is null) return found.Count == 0 ? null : found;
                found.Add(page);
            }
        }
    }

    /// <summary>Pending markers whose writer is gone (killed between its change and its page update).</summary>
    public async Task<List<long>> ListAbandonedAsync(CancellationToken ct)
    {
        var abandoned = new List<long>();
        foreach (var id in await ListNumbersAsync(PendingPrefix, "", ct).ConfigureAwait(false))
            if (await store.GetAsync(PendingKey(id), ct).ConfigureAwait(false) is { } holder && RecordingLock.IsStale(holder)) abandoned.Add(id);
        return abandoned;
    }

    /// <summary>Brings recording <paramref name="id"/>'s entry in line with its zarr.json and clears its marker.</summary>
    public async Task RefreshAsync(long id, CancellationToken ct)
    {
        var group = await TryOpenAsync(id, ct).ConfigureAwait(false);
        await EndChangeAsync(id, group?.Attributes, ct).ConfigureAwait(false);
    }

    /// <summary>Writes every page afresh from the recordings (ids and their attributes, as listed from the store).</summary>
    public async Task RebuildAsync(IReadOnlyDictionary<long, JsonObject> recordings, long highestId, CancellationToken ct)
    {
        var pages = recordings.GroupBy(r => PageOf(r.Key)).ToDictionary(g => g.Key, g => g.ToList());
        for (long page = 0; page <= PageOf(Math.Max(highestId, 0)); page++)
        {
            await using var held = await RecordingLock.AcquireAsync(store.Writable(), PageLockKey(page), $"Catalog page {page}", ct).ConfigureAwait(false);
            var entries = new JsonObject();
            foreach (var (id, attributes) in pages.GetValueOrDefault(page) ?? [])
                entries[id.ToString(CultureInfo.InvariantCulture)] = GroupDocument(attributes);
            await WritePageAsync(page, entries, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The numbers of the pages that cannot be read (a repair rebuilds the catalog).</summary>
    public async Task<IReadOnlyList<long>> ListDamagedPagesAsync(CancellationToken ct)
    {
        var damaged = new List<long>();
        foreach (var n in await ListNumbersAsync(PagesPrefix, ".json", ct).ConfigureAwait(false))
        {
            try { await ReadPageAsync(n, ct).ConfigureAwait(false); }
            catch (CatalogDamagedException) { damaged.Add(n); }
        }
        return damaged;
    }
}
