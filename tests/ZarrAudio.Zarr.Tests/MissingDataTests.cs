using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;
using static ZarrAudio.Zarr.Tests.TestArrays;

namespace ZarrAudio.Zarr.Tests;

/// <summary>
/// Data that vanished must never read as data: a shard deleted under a cached index once left the caller's buffer
/// holding whatever it held before (a reader of a removed recording got plausible, wrong samples).
/// </summary>
public class MissingDataTests
{
    private static async Task<(ZarrArray Array, byte[] Data)> ShardedBytesAsync(IStore store)
    {
        var array = await ZarrArray.CreateAsync(store, "a", Meta(DataType.UInt8, [4096], [1024], [Sharding([256], [new CodecMetadata("bytes")])]));
        var data = Data(DataType.UInt8, 4096, seed: 5);
        await array.WriteRegionAsync([0], [4096], data);
        return (array, data);
    }

    [Fact]
    public async Task AShardDeletedUnderACachedIndexIsAnErrorNotOldBytes()
    {
        using var store = new MemoryStore();
        var (array, data) = await ShardedBytesAsync(store);
        array.ShardIndexCache = new ShardIndexCache();
        var buffer = new byte[300];
        await array.ReadRegionAsync([100], [300], buffer);
        Assert.Equal(data.AsSpan(100, 300).ToArray(), buffer);
        await store.DeleteAsync("a/c/0");
        // The buffer still holds the first read's bytes: exactly what a silent failure would hand back.
        await Assert.ThrowsAsync<ZarrChunkMissingException>(async () => await array.ReadRegionAsync([100], [300], buffer));
        await Assert.ThrowsAsync<ZarrChunkMissingException>(async () => await array.ReadRegionAsync([0], [1024], new byte[1024]));
    }

    [Fact]
    public async Task AShardDeletedUnderACachedIndexIsAnErrorInADirectoryStoreToo()
    {
        using var dir = new ZarrAudio.Testing.TempDirectory();
        using var store = new DirectoryStore(dir.Path);
        var (array, _) = await ShardedBytesAsync(store);
        array.ShardIndexCache = new ShardIndexCache();
        await array.ReadRegionAsync([1024], [10], new byte[10]);
        File.Delete(Path.Combine(dir.Path, "a", "c", "1"));
        await Assert.ThrowsAsync<ZarrChunkMissingException>(async () => await array.ReadRegionAsync([1024], [10], new byte[10]));
    }

    [Fact]
    public async Task AnArrayWhoseChunksAreRequiredRefusesAMissingChunk()
    {
        using var store = new MemoryStore();
        var (array, data) = await ShardedBytesAsync(store);
        await store.DeleteAsync("a/c/2");
        // By default a missing chunk is the fill value, as the spec says ...
        var filled = await array.ReadRegionAsync([2048], [1024]);
        Assert.All(filled, b => Assert.Equal(0, b));
        // ... and for arrays whose writer stores every chunk, it is damage.
        array.ChunksRequired = true;
        var e = await Assert.ThrowsAsync<ZarrChunkMissingException>(async () => await array.ReadRegionAsync([2000], [100]));
        Assert.Equal("a/c/2", e.Key);
        Assert.Equal(data.AsSpan(1000, 1000).ToArray(), await array.ReadRegionAsync([1000], [1000]));
    }
}
