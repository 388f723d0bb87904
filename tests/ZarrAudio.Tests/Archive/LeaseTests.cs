using System.Text;
using ZarrAudio.Archive;
using ZarrAudio.Import;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>Claim leases: renewed while an import works, never written back once lost, checked before the commit.</summary>
public class LeaseTests
{
    private sealed class EveryReport(Action<ImportProgress> act) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => act(value);
    }

    [Fact]
    public async Task ALongImportKeepsItsLeaseByRenewingIt()
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "long.wav", 48000, 16, 2, 20);
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        archive.ClaimLease = TimeSpan.FromSeconds(3);
        var seen = new List<DateTimeOffset>();
        // Slowed down to more than a lease long (it blocks the thread that reports, as a busy import would); the
        // claim's lease_until must move on while it works, and the lease must never run out.
        var progress = new EveryReport(_ =>
        {
            Thread.Sleep(300);
            var claim = archive.Store.GetAsync("1/claim.json").AsTask().GetAwaiter().GetResult();
            if (claim is not null && ProcessStamp.ParseRecord(claim) is { } record && ProcessStamp.FromJson(record, "started").LeaseUntil is { } until)
                lock (seen) seen.Add(until);
        });
        var recording = await archive.ImportFileAsync(wav, progress: progress);
        Assert.Equal(1, recording.Id);
        Assert.True(seen.Distinct().Count() >= 2, $"the lease was renewed {seen.Distinct().Count() - 1} times");
    }

    [Fact]
    public async Task AnImportWhoseClaimWasRepairedAwayFailsAndCommitsNothing()
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "long.wav", 48000, 16, 2, 20);
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        archive.ClaimLease = TimeSpan.FromSeconds(1.5);
        var once = 0;
        // Another host's repair, after this import's lease had run out (as if the process had been suspended), marks
        // the claim: the renewals must not write it back, and the commit must not happen.
        var progress = new EveryReport(_ =>
        {
            if (Interlocked.Exchange(ref once, 1) == 0)
                archive.Store.Writable().SetAsync("1/claim.json", Encoding.UTF8.GetBytes("{\"state\":\"repaired\",\"host\":\"other\"}")).AsTask().GetAwaiter().GetResult();
            Thread.Sleep(150);
        });
        var lost = await Assert.ThrowsAsync<ArchiveBusyException>(() => archive.ImportFileAsync(wav, progress: progress));
        Assert.Contains("lost", lost.Message);
        Assert.Empty(await archive.ListIdsAsync());
        Assert.False(await archive.Store.ExistsAsync("1/zarr.json"));
    }

    [Fact]
    public async Task ASourceWhoseImportIsUnderWayIsNotCalledADuplicate()
    {
        // Until its twin commits, a source is not in the archive: reporting it as a duplicate would let a rerun (a
        // requeued Slurm task) count it as done while the holder may still fail.
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "long.wav", 48000, 16, 2, 20);
        var store = new MemoryStore();
        using var archive = await AudioArchive.MountAsync(store, "", create: true, ownsStore: true);
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var progress = new EveryReport(_ =>
        {
            if (store.ListPrefixAsync("sha256/").ToBlockingEnumerable().Any()) { held.Set(); release.Wait(TimeSpan.FromSeconds(30)); }
        });
        var first = Task.Run(() => archive.ImportFileAsync(wav, progress: progress));
        Assert.True(held.Wait(TimeSpan.FromSeconds(30)), "the first import never claimed the hash");
        var busy = await Assert.ThrowsAsync<SourceBeingImportedException>(() => archive.ImportFileAsync(wav));
        Assert.Equal(1, busy.HolderId);
        Assert.Contains($"process {Environment.ProcessId} on", busy.Message);
        release.Set();
        Assert.Equal(1, (await first).Id);
        Assert.Equal(1, (await Assert.ThrowsAsync<DuplicateRecordingException>(() => archive.ImportFileAsync(wav))).ExistingId);
    }
}
