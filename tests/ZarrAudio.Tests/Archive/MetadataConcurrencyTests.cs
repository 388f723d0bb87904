using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// Metadata changes and removals from several writers (each archive object here stands for a process: it has
/// its own caches and shares only the store). Found: concurrent Set-RecordingMeta lost 18 of 60 keys silently,
/// and a Set racing a Remove wrote the removed recording's zarr.json back (listed, but without audio).
/// </summary>
public class MetadataConcurrencyTests
{
    [Fact]
    public async Task ConcurrentMetadataChangesFromTwoWritersAreAllKept()
    {
        using var dir = new TempDirectory();
        // Slow zarr.json writes (a network store) widen the read-modify-write window the lock must cover.
        var slow = FaultyStore.Slow(new DirectoryStore(dir.Path, readOnly: false, create: true), key => key.EndsWith("/zarr.json", StringComparison.Ordinal));
        using var a = await AudioArchive.MountAsync(slow, "", create: true, ownsStore: true);
        var slowToo = FaultyStore.Slow(new DirectoryStore(dir.Path, readOnly: false, create: false), key => key.EndsWith("/zarr.json", StringComparison.Ordinal));
        using var b = await AudioArchive.MountAsync(slowToo, "", create: false, ownsStore: true);
        var id = (await a.ImportSamplesAsync(new short[] { 1, 2, 3, 4 }, 8000)).Id;
        async Task Writer(AudioArchive archive, string prefix)
        {
            for (var i = 0; i < 15; i++)
                await archive.SetUserMetadataAsync(id, new System.Collections.Hashtable { [$"{prefix}{i}"] = i }, UserMetadataChange.Merge);
        }
        await Task.WhenAll(Task.Run(() => Writer(a, "a")), Task.Run(() => Writer(b, "b")));
        var user = (await a.GetRecordingAsync(id, refresh: true)).Metadata.User;
        Assert.Equal(30, user.Count);
        Assert.Empty(Directory.GetFiles(dir.Path, "lock.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AMetadataChangeRacingARemovalNeverResurrectsTheRecording()
    {
        using var dir = new TempDirectory();
        // The setter's zarr.json writes are slow (a network store), so a removal lands between its read and its write.
        var slow = FaultyStore.Slow(new DirectoryStore(dir.Path, readOnly: false, create: true), key => key.EndsWith("/zarr.json", StringComparison.Ordinal));
        using var setter = await AudioArchive.MountAsync(slow, "", create: true, ownsStore: true);
        using var remover = await AudioArchive.MountAsync(dir.Path, "", create: false);
        for (var round = 0; round < 4; round++)
        {
            var id = (await setter.ImportSamplesAsync(new short[] { 1, 2, 3, (short)round }, 8000)).Id;
            var sets = Task.Run(async () =>
            {
                // Bounded: without the lock a resurrected recording would take changes for ever.
                for (var i = 0; i < 300; i++)
                {
                    try { await setter.SetUserMetadataAsync(id, new System.Collections.Hashtable { ["n"] = i }, UserMetadataChange.Merge); }
                    catch (RecordingNotFoundException) { return; }
                    await Task.Yield();
                }
            });
            await Task.Delay(5);
            await remover.RemoveAsync(id);
            await sets;
            Assert.False(await setter.Store.ExistsAsync($"{id}/zarr.json"), $"round {round}: zarr.json came back after the removal");
        }
        Assert.Empty(await setter.GetRecordingsAsync());
        Assert.Empty(await remover.GetRecordingsAsync());
    }

    [Fact]
    public async Task ARemovalKilledHalfWayBlocksNothingAndRepairClearsIt()
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "x.wav", 8000, 16, 1, 2);
        var store = new DirectoryStore(dir.Combine("archive"), readOnly: false, create: true);
        // The removal dies after zarr.json is gone, before the audio and the hash claim are.
        var dying = FaultyStore.Wrap(store, _ => false, key => key.Contains("/flac0/", StringComparison.Ordinal));
        using var archive = await AudioArchive.MountAsync(dying, "", create: true, ownsStore: true);
        var id = (await archive.ImportFileAsync(wav)).Id;
        await Assert.ThrowsAsync<IOException>(() => archive.RemoveAsync(id));
        Assert.Empty(await archive.GetRecordingsAsync());

        // The importing session is alive (this process), yet the source imports again instead of "already in the archive".
        using var again = await AudioArchive.MountAsync(dir.Combine("archive"), "", create: false);
        var reimported = await again.ImportFileAsync(wav);
        Assert.NotEqual(id, reimported.Id);
        // Repair removes what the killed removal left.
        Assert.Equal([id], await again.RepairAsync());
        // Nothing of the removed id is left: not even its claim, since a higher id now keeps ids from being reused.
        Assert.False(Directory.Exists(dir.Combine("archive", id.ToString())));
    }
}
