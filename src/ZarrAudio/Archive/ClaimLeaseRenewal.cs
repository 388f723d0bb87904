using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// Keeps an import's id claim alive: rewrites its lease every third of <see cref="AudioArchive.ClaimLease"/> while
/// the import works, so that other hosts (and repairs) know it is not abandoned; a killed importer stops renewing
/// and its claim runs out.
/// </summary>
internal sealed class ClaimLeaseRenewal
{
    private readonly AudioArchive _archive;
    private readonly long _id;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly int _pid = Environment.ProcessId;
    private Exception? _failure;

    public ClaimLeaseRenewal(AudioArchive archive, long id)
    {
        _archive = archive;
        _id = id;
        _loop = Task.Run(RenewAsync);
    }

    private async Task RenewAsync()
    {
        var every = _archive.ClaimLease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, _stop.Token).ConfigureAwait(false);
                // A renewal that fails (the store is down for a moment) is tried again at the next turn; the lease
                // still holds until then. Only a lease that ran out is lost, and a lost claim (repaired away by another
                // host after its lease ran out) is never written back: the import then fails before it commits.
                try
                {
                    if (!await IsStillMineAsync().ConfigureAwait(false)) return;
                    var stamp = ProcessStamp.OfThisProcess(_archive.ClaimLease);
                    await _archive.Store.SetAsync(_archive.ClaimKeyOf(_id), AudioArchive.ClaimRecord(stamp), _stop.Token).ConfigureAwait(false);
                }
                catch (ZarrException e) { _failure = e; }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>True when the claim is still this import's, in state importing, and its lease has not run out.</summary>
    private async Task<bool> IsStillMineAsync()
    {
        var bytes = await _archive.Store.GetAsync(_archive.ClaimKeyOf(_id)).ConfigureAwait(false);
        var record = bytes is null ? null : ProcessStamp.ParseRecord(bytes);
        var stamp = record is null ? null : ProcessStamp.FromJson(record, "started");
        return record?["state"]?.GetValue<string>() == "importing" && stamp?.Pid == _pid && stamp.Host == ProcessStamp.ThisHost
            && stamp.LeaseUntil is { } until && until >= DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// Stops renewing; with <paramref name="verify"/>, checks that the claim is still this import's and its lease has
    /// not run out (else another host may have repaired the id away, data and all, and committing would be wrong).
    /// </summary>
    public async Task StopAsync(bool verify)
    {
        if (!_stop.IsCancellationRequested) _stop.Cancel();
        await _loop.ConfigureAwait(false);
        if (!verify) return;
        if (!await IsStillMineAsync().ConfigureAwait(false))
            throw new ArchiveBusyException($"The claim of id {_id} in {_archive.Location} was lost while importing (its lease ran out{(_failure is null ? "" : $"; renewing it failed: {_failure.Message}")}), so the import was not committed. Run it again.");
    }
}
