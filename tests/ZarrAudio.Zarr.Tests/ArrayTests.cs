using System.Text;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;
using static ZarrAudio.Zarr.Tests.TestArrays;

namespace ZarrAudio.Zarr.Tests;

public class ArrayTests
{
    [Fact]
    public async Task EdgeChunksAreStoredAtFullShapeAndReadBack()
    {
        using var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", Meta(DataType.Int32, [10], [4], [Little], BitConverter.GetBytes(-7)));
        var data = Enumerable.Range(1, 10).ToArray();
        await array.WriteAsync([0], [10], data);
        Assert.Equal(16, (await store.GetAsync("a/c/2"))!.Length);
        Assert.Equal(-7, BitConverter.ToInt32((await store.GetAsync("a/c/2"))!, 8)); // outside the array: fill
        Assert.Equal(data, await array.ReadAsync<int>([0], [10]));
        Assert.Equal(new[] { 4, 5, 6, 7, 8 }, await array.ReadAsync<int>([3], [5]));
    }

    [Fact]
    public async Task MissingChunksReadAsFillAndAllFillChunksAreNotStored()
    {
        using var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", Meta(DataType.Float32, [4, 4], [2, 2], [Little, Zstd()], BitConverter.GetBytes(float.NaN)));
        var values = await array.ReadAsync<float>([0, 0], [4, 4]);
        Assert.All(values, v => Assert.True(float.IsNaN(v)));
        await array.WriteAsync([2, 2], [1, 1], [3f]);
        Assert.Equal(["a/c/1/1"], await store.ListPrefixAsync("a/c").ToListAsync());
        // Writing the fill value back removes the chunk.
        await array.WriteAsync([2, 2], [1, 1], [float.NaN]);
        Assert.Empty(await store.ListPrefixAsync("a/c").ToListAsync());
    }

    [Fact]
    public async Task PartialChunkWritesKeepTheRestOfTheChunk()
    {
        using var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", Meta(DataType.UInt16, [6, 6], [4, 4], [Little, Gzip()]));
        var all = Enumerable.Range(0, 36).Select(i => (ushort)(i + 100)).ToArray();
        await array.WriteAsync([0, 0], [6, 6], all);
        await array.WriteAsync([1, 1], [2, 4], new ushort[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        var back = await array.ReadAsync<ushort>([0, 0], [6, 6]);
        for (var r = 0; r < 6; r++)
            for (var c = 0; c < 6; c++)
            {
                var inside = r is 1 or 2 && c is >= 1 and <= 4;
                var expected = inside ? (ushort)((r - 1) * 4 + (c - 1) + 1) : all[r * 6 + c];
                Assert.Equal(expected, back[r * 6 + c]);
            }
    }

    [Fact]
    public async Task DotSeparatorNamesChunksWithDots()
    {
        using var dir = new ZarrAudio.Testing.TempDirectory();
        using var store = new DirectoryStore(dir.Path);
        var array = await ZarrArray.CreateAsync(store, "g/a", Meta(DataType.Int8, [3, 3], [2, 2], [Little], separator: '.'));
        await array.WriteAsync([0, 0], [3, 3], new sbyte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        Assert.True(File.Exists(dir.Combine("g", "a", "c.1.1")));
        var reopened = await ZarrArray.OpenAsync(store, "g/a");
        Assert.Equal(new sbyte[] { 5, 6, 8, 9 }, await reopened.ReadAsync<sbyte>([1, 1], [2, 2]));
    }

    [Fact]
    public async Task RegionReadsTouchOnlyTheChunksTheyNeed()
    {
        var counting = new CountingStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(counting, "a", Meta(DataType.Int16, [100, 2], [10, 2], [Little, Zstd()]));
        await array.WriteRegionAsync([0, 0], [100, 2], Data(DataType.Int16, 200));
        counting.Reads.Clear();
        await array.ReadRegionAsync([25, 0], [10, 2]);
        Assert.Equal(["a/c/2/0", "a/c/3/0"], counting.Reads.Select(r => r.Key).Order());
    }

    [Fact]
    public async Task UncompressedChunkReadsFetchOnlyTheNeededBytes()
    {
        var counting = new CountingStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(counting, "a", Meta(DataType.Int32, [1000], [1000], [Little]));
        var data = Data(DataType.Int32, 1000);
        await array.WriteRegionAsync([0], [1000], data);
        counting.Reads.Clear();
        var part = await array.ReadRegionAsync([500], [3]);
        Assert.Equal(data[2000..2012], part);
        var (key, range) = Assert.Single(counting.Reads);
        Assert.Equal(ByteRange.FromOffset(2000, 12), range);
    }

    [Fact]
    public async Task ShardedReadsFetchTheIndexAndOnlyTheNeededInnerChunks()
    {
        var counting = new CountingStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(counting, "s", Meta(DataType.UInt8, [100_000], [65_536], [Sharding([1024], [new("bytes")])]));
        var data = Data(DataType.UInt8, 100_000);
        await array.WriteRegionAsync([0], [100_000], data);
        Assert.Equal(2, (await counting.ListPrefixAsync("s/c").ToListAsync()).Count);
        counting.Reads.Clear();
        counting.BytesRead = 0;
        var part = await array.ReadRegionAsync([70_000], [100]);
        Assert.Equal(data[70_000..70_100], part);
        Assert.True(counting.BytesRead <= 100 + 16 * 64 + 4, $"read {counting.BytesRead} bytes for 100");
        Assert.Equal(2, counting.Reads.Count); // the index, then one range

        // Compressed inner chunks: the index plus one coalesced range for adjacent inner chunks.
        var zipped = await ZarrArray.CreateAsync(counting, "z", Meta(DataType.UInt8, [100_000], [65_536], [Sharding([1024], [new("bytes"), Zstd()])]));
        await zipped.WriteRegionAsync([0], [100_000], data);
        counting.Reads.Clear();
        Assert.Equal(data[1000..4000], await zipped.ReadRegionAsync([1000], [3000]));
        Assert.Equal(2, counting.Reads.Count);
    }

    [Fact]
    public async Task CachedShardIndexesMakeARepeatReadOneFetchAndWritesInvalidateThem()
    {
        var counting = new CountingStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(counting, "s", Meta(DataType.UInt8, [10_000], [4096], [Sharding([256], [new("bytes")])]));
        var data = Data(DataType.UInt8, 10_000);
        await array.WriteRegionAsync([0], [10_000], data);
        array.ShardIndexCache = new Codecs.ShardIndexCache();
        Assert.Equal(data[5000..5100], await array.ReadRegionAsync([5000], [100]));
        counting.Reads.Clear();
        Assert.Equal(data[5200..5300], await array.ReadRegionAsync([5200], [100]));
        Assert.Single(counting.Reads);
        // A write through the array replaces the shard and its cached index.
        var changed = Data(DataType.UInt8, 4096, seed: 9);
        await array.WriteRegionAsync([4096], [4096], changed);
        Assert.Equal(changed[1104..1204], await array.ReadRegionAsync([5200], [100]));
    }

    [Fact]
    public async Task APlainReadAcrossInnerChunksIsOneRangeOfExactlyTheNeededBytes()
    {
        // A 100 ms read of a FLAC stream often crosses a 64 KiB inner chunk: it must stay one ranged GET on object
        // storage (it was one request per inner chunk).
        var counting = new CountingStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(counting, "s", Meta(DataType.UInt8, [10_000], [8192], [Sharding([256], [new("bytes")])]));
        var data = Data(DataType.UInt8, 10_000);
        await array.WriteRegionAsync([0], [10_000], data);
        array.ShardIndexCache = new Codecs.ShardIndexCache();
        await array.ReadRegionAsync([0], [1]);
        counting.Reads.Clear();
        counting.BytesRead = 0;
        Assert.Equal(data[200..900], await array.ReadRegionAsync([200], [700]));
        var (_, range) = Assert.Single(counting.Reads);
        Assert.Equal(ByteRange.FromOffset(200, 700), range);
        Assert.Equal(700, counting.BytesRead);
        // Across a shard boundary: one range in each shard, nothing more.
        counting.Reads.Clear();
        Assert.Equal(data[8000..8400], await array.ReadRegionAsync([8000], [400]));
        Assert.Equal(3, counting.Reads.Count); // the second shard's index (first touch), a range in each shard
        const int indexBytes = 32 * 16 + 4; // 32 inner chunks of (offset, length), crc32c
        Assert.Equal([ByteRange.FromOffset(8000, 192), ByteRange.FromOffset(0, 208)],
            counting.Reads.Select(r => r.Range!.Value).Where(r => r.Length != indexBytes).OrderByDescending(r => r.Offset));
    }

    [Fact]
    public async Task OutOfRangeRegionsAreRefused()
    {
        using var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", Meta(DataType.Int8, [10], [4], [Little]));
        var e = await Assert.ThrowsAsync<ZarrIndexOutOfRangeException>(async () => await array.ReadRegionAsync([8], [3]));
        Assert.Contains("a", e.NodePath);
        await Assert.ThrowsAsync<ZarrIndexOutOfRangeException>(async () => await array.ReadRegionAsync([-1], [1]));
        await Assert.ThrowsAsync<ZarrIndexOutOfRangeException>(async () => await array.ReadRegionAsync([0, 0], [1, 1]));
    }

    [Fact]
    public async Task CorruptAndTruncatedChunksNameTheKey()
    {
        using var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", Meta(DataType.Int32, [8], [4], [Little, Crc]));
        await array.WriteAsync([0], [8], Enumerable.Range(0, 8).ToArray());
        var chunk = (await store.GetAsync("a/c/1"))!;
        chunk[2] ^= 1;
        await store.SetAsync("a/c/1", chunk);
        var bad = await Assert.ThrowsAsync<ZarrChecksumException>(async () => await array.ReadRegionAsync([4], [4]));
        Assert.Equal("a/c/1", bad.Key);

        var plain = await ZarrArray.CreateAsync(store, "p", Meta(DataType.Int32, [8], [4], [Little]));
        await plain.WriteAsync([0], [8], Enumerable.Range(0, 8).ToArray());
        await store.SetAsync("p/c/0", new byte[10]);
        var truncated = await Assert.ThrowsAsync<ZarrChunkSizeException>(async () => await plain.ReadRegionAsync([0], [4]));
        Assert.Equal("p/c/0", truncated.Key);
        await Assert.ThrowsAsync<ZarrChunkSizeException>(async () => await plain.ReadRegionAsync([1], [3]));
        await store.SetAsync("p/c/1", new byte[20]);
        await Assert.ThrowsAsync<ZarrChunkSizeException>(async () => await plain.ReadRegionAsync([4], [4]));
    }

    [Fact]
    public async Task OpeningTheWrongNodeTypeOrNothingFails()
    {
        using var store = new MemoryStore();
        await ZarrGroup.CreateAsync(store, "g");
        await ZarrArray.CreateAsync(store, "g/a", Meta(DataType.Int8, [1], [1], [Little]));
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(async () => await ZarrArray.OpenAsync(store, "g"));
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(async () => await ZarrGroup.OpenAsync(store, "g/a"));
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(async () => await ZarrGroup.OpenAsync(store, "nothing"));
        await store.SetAsync("bad/zarr.json", Encoding.UTF8.GetBytes("{\"zarr_format\":3"));
        var e = await Assert.ThrowsAsync<ZarrMetadataException>(async () => await ZarrGroup.OpenAsync(store, "bad"));
        Assert.Equal("bad", e.NodePath);
        Assert.Equal("zarr.json", e.Key);
    }

    [Fact]
    public async Task GroupsListChildrenCreateParentsAndDeleteSubtrees()
    {
        using var store = new MemoryStore();
        var deep = await ZarrGroup.OpenOrCreateAsync(store, "x/y/z");
        Assert.Equal("z", deep.Name);
        var x = await ZarrGroup.OpenAsync(store, "x");
        Assert.Equal(["y"], await x.ListChildrenAsync().ToListAsync());
        var y = await x.OpenGroupAsync("y");
        await y.CreateArrayAsync("arr", Meta(DataType.Int8, [4], [2], [Little]));
        await store.SetAsync("x/y/orphan/c/0", new byte[1]); // no zarr.json: not a child
        Assert.Equal(["arr", "z"], await y.ListChildrenAsync().ToListAsync());
        await x.DeleteChildAsync("y");
        Assert.Empty(await store.ListPrefixAsync("x/y/").ToListAsync());
        await Assert.ThrowsAsync<ZarrInvalidNodeNameException>(async () => await x.CreateGroupAsync("__meta"));
    }

    [Fact]
    public async Task ResizeGrowsAnArrayAndKeepsItsData()
    {
        using var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", Meta(DataType.Int64, [3], [2], [Little]));
        await array.WriteAsync([0], [3], new long[] { long.MinValue, 0, long.MaxValue });
        await array.ResizeAsync([5]);
        var reopened = await ZarrArray.OpenAsync(store, "a");
        Assert.Equal(new long[] { long.MinValue, 0, long.MaxValue, 0, 0 }, await reopened.ReadAsync<long>([0], [5]));
    }
}
