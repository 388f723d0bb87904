using System.Diagnostics;
using System.Text;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// A lock on one recording's metadata, taken with the store's exclusive create (<c>{id}/lock.json</c>), so that
/// read-modify-writes of its <c>zarr.json</c> (Set-RecordingMeta) and its removal never interleave, across
/// threads, processes and hosts; the catalog's pages are rewritten under the same kind of lock. A lock whose holder is gone (a dead process on this host, or older than
/// <see cref="StaleAfter"/>: a metadata change takes milliseconds) is broken.
/// </summary>
internal sealed class RecordingLock : IAsyncDisposable
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(30);

    private readonly IWritableStore _store;
    private readonly string _key;
    private RecordingLock(IWritableStore store, string key) => (_store, _key) = (store, key);

    public static Task<RecordingLock> AcquireAsync(IWritableStore store, string key, long id, CancellationToken ct) =>
        AcquireAsync(store, key, $"Recording {id}", ct);

    /// <summary>Takes the lock at <paramref name="key"/>, waiting for (or breaking) another holder; <paramref name="what"/> names it in errors.</summary>
    public static async Task<RecordingLock> AcquireAsync(IWritableStore store, string key, string what, CancellationToken ct, TimeSpan? waitAtMost = null)
    {
        var limit = waitAtMost ?? WaitAtMost;
        var mine = Encoding.UTF8.GetBytes(ProcessStamp.OfThisProcess().ToJson().ToJsonString());
        var waited = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            if (await store.SetIfAbsentAsync(key, mine, ct).ConfigureAwait(false)) return new RecordingLock(store, key);
            var holder = await store.GetAsync(key, ct).ConfigureAwait(false);
            if (holder is not null && IsStale(holder))
            {
                await store.DeleteAsync(key, ct).ConfigureAwait(false);
                continue;
            }
            if (waited.Elapsed > limit)
                throw new ArchiveBusyException($"{what} is locked by another writer ({(holder is null ? "unknown" : Encoding.UTF8.GetString(holder))}) for more than {limit.TotalSeconds:0} s.");
            // Short, jittered waits: a writer that releases and takes the lock again in a loop must not starve the others.
            await Task.Delay(Random.Shared.Next(1, delay + 1), ct).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 16);
        }
    }

    /// <summary>A lock whose holder is gone (or whose record is damaged) may be broken.</summary>
    public static bool IsStale(byte[] holder) =>
        ProcessStamp.ParseRecord(holder) is not { } record || ProcessStamp.FromJson(record).IsGone(StaleAfter);

    public async ValueTask DisposeAsync() => await _store.DeleteAsync(_key).ConfigureAwait(false);
}
