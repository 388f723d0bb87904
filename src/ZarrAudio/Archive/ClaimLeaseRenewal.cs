using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// Keeps an import's id claim alive: rewrites its lease every third of <see cref="RecordingClaims.Lease"/> while
/// the import works, so that other hosts (and repairs) know it is not abandoned; a killed importer stops renewing
/// and its claim runs out. Renewals run on one thread of the process (<see cref="LeaseKeeper"/>), not on the thread
/// pool, so an import that keeps the pool busy cannot starve its own lease.
/// </summary>
internal sealed class ClaimLeaseRenewal
{
    private readonly RecordingClaims _claims;
    private readonly string _location;
    private readonly long _id;
    private readonly TimeSpan _every;
    private readonly int _pid = Environment.ProcessId;
    private readonly object _gate = new();
    private bool _stopped;
    private Exception? _failure;

    public ClaimLeaseRenewal(RecordingClaims claims, string location, long id)
    {
        _claims = claims;
        _location = location;
        _id = id;
        _every = claims.Lease / 3;
        Due = DateTime.UtcNow + _every;
        LeaseKeeper.Add(this);
    }

    /// <summary>When the next renewal is due.</summary>
    public DateTime Due { get; private set; }

    /// <summary>
    /// Renews the lease (called by the keeper's thread). A renewal that fails (the store is down for a moment) is
    /// tried again at the next turn; the lease still holds until then. A lost claim (repaired away by another host after
    /// its lease ran out) is never written back: renewing stops, and the import fails before it commits.
    /// </summary>
    /// <returns>False once there is nothing more to renew.</returns>
    public bool Renew()
    {
        lock (_gate)
        {
            if (_stopped) return false;
            Due = DateTime.UtcNow + _every;
            try
            {
                if (!IsStillMineAsync().GetAwaiter().GetResult()) return false;
                _claims.RenewAsync(_id).AsTask().GetAwaiter().GetResult();
            }
            catch (ZarrException e) { _failure = e; }
            return true;
        }
    }

    /// <summary>True when the claim is still this import's, in state importing, and its lease has not run out.</summary>
    private async Task<bool> IsStillMineAsync()
    {
        var record = await _claims.ReadClaimAsync(_id, CancellationToken.None).ConfigureAwait(false);
        var stamp = RecordingClaims.StampOf(record);
        return record?["state"]?.GetValue<string>() == "importing" && stamp?.Pid == _pid && stamp.Host == ProcessStamp.ThisHost
            && stamp.LeaseUntil is { } until && until >= DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// Stops renewing (waiting for a renewal under way); with <paramref name="verify"/>, checks that the claim is still
    /// this import's and its lease has not run out (else another host may have repaired the id away, data and all, and
    /// committing would be wrong).
    /// </summary>
    public async Task StopAsync(bool verify)
    {
        lock (_gate) _stopped = true;
        LeaseKeeper.Remove(this);
        if (!verify) return;
        if (!await IsStillMineAsync().ConfigureAwait(false))
            throw new ArchiveBusyException($"The claim of id {_id} in {_location} was lost while importing (its lease ran out{(_failure is null ? "" : $"; renewing it failed: {_failure.Message}")}), so the import was not committed. Run it again.");
    }
}

/// <summary>The process's one lease thread: renews every active claim when it is due.</summary>
internal static class LeaseKeeper
{
    private static readonly object Gate = new();
    private static readonly List<ClaimLeaseRenewal> Active = [];
    private static readonly AutoResetEvent Changed = new(false);
    private static Thread? _thread;

    public static void Add(ClaimLeaseRenewal renewal)
    {
        lock (Gate)
        {
            Active.Add(renewal);
            _thread ??= StartThread();
        }
        Changed.Set();
    }

    public static void Remove(ClaimLeaseRenewal renewal)
    {
        lock (Gate) Active.Remove(renewal);
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "ZarrAudio claim leases" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        while (true)
        {
            ClaimLeaseRenewal[] due;
            TimeSpan wait;
            lock (Gate)
            {
                var now = DateTime.UtcNow;
                due = Active.Where(r => r.Due <= now).ToArray();
                var next = Active.Count == 0 ? now + TimeSpan.FromSeconds(10) : Active.Min(r => r.Due);
                wait = next > now ? next - now : TimeSpan.Zero;
            }
            foreach (var renewal in due)
                if (!renewal.Renew()) Remove(renewal);
            if (due.Length == 0) Changed.WaitOne(wait);
        }
    }
}
