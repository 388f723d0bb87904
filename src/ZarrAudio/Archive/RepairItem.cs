namespace ZarrAudio.Archive;

/// <summary>What a repair found: something a killed or failed operation left behind, and what removing it means.</summary>
public sealed record RepairItem(RepairKind Kind, long? Id, string Target, string Detail);

/// <summary>
/// What a repair found: the items to remove, and the store's temporary files it leaves alone because a writer may still
/// be at work on them (each with why), both from one look at the store.
/// </summary>
public sealed record RepairPlan(IReadOnlyList<RepairItem> Items, IReadOnlyList<string> Kept);

public enum RepairKind
{
    /// <summary>The stored data of an id that was never committed (a killed or failed import) or half removed.</summary>
    UncommittedData,
    /// <summary>A source-hash claim whose recording never committed and whose importer is gone.</summary>
    StaleHashClaim,
    /// <summary>A recording's metadata lock whose holder is gone.</summary>
    StaleLock,
    /// <summary>The claim of an id that failed or was removed, no longer needed because a higher id exists.</summary>
    UnusedIdClaim,
    /// <summary>A temporary file or an empty folder of a store write that was never finished.</summary>
    StoreLeftover,
    /// <summary>A catalog pending marker whose writer is gone: the recording's page is brought in line with its zarr.json.</summary>
    PendingCatalogChange,
    /// <summary>A catalog page that cannot be read, or an archive without a catalog: the catalog is rebuilt from the recordings.</summary>
    CatalogRebuild,
    /// <summary>Rows of a segment set's version that a killed or failed change never made the set's.</summary>
    SegmentSetLeftover,
}
