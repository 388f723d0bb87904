using System.Text;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr.Tests;

public class StoreTests
{
    public static TheoryData<string> Kinds() => ["memory", "directory", "zip"];

    private static IStore Make(string kind, TempDirectory dir) => kind switch
    {
        "memory" => new MemoryStore(),
        "directory" => new DirectoryStore(dir.Combine("store"), create: true),
        _ => new ZipStore(dir.Combine("store.zip"), readOnly: false, create: true),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryStoreDoesTheWholeInterface(string kind)
    {
        using var dir = new TempDirectory();
        using var store = Make(kind, dir);
        await StoreContract.WholeInterfaceAsync(store);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ExclusiveCreateHasExactlyOneWinner(string kind)
    {
        using var dir = new TempDirectory();
        using var store = Make(kind, dir);
        for (var round = 0; round < 5; round++)
        {
            var key = $"ids/{round}";
            var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
                Task.Run(async () => (i, await store.SetIfAbsentAsync(key, BitConverter.GetBytes(i))))));
            var winners = results.Where(r => r.Item2).ToList();
            Assert.Single(winners);
            Assert.Equal(winners[0].i, BitConverter.ToInt32((await store.GetAsync(key))!));
        }
    }

    [Fact]
    public async Task DirectoryStoreLeavesNoTempFilesAndHidesThemFromListings()
    {
        using var dir = new TempDirectory();
        using var store = new DirectoryStore(dir.Path);
        await store.SetAsync("x/y", new byte[100]);
        await store.SetIfAbsentAsync("x/y", new byte[1]);
        File.WriteAllText(Path.Combine(dir.Path, "x", DirectoryStore.TempPrefix + "leftover"), "");
        Assert.Equal(["y"], await store.ListDirectoryAsync("x").ToListAsync());
        Assert.Equal(["x/y"], await store.ListPrefixAsync("").ToListAsync());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir.Path, "x")).Length);
    }

    [Fact]
    public async Task DirectoryStoreLeavesNoFoldersBehindAFailedWrite()
    {
        // A cancelled import's last write must not leave folders that its cleanup cannot list (it lists keys).
        using var dir = new TempDirectory();
        using var store = new DirectoryStore(dir.Path);
        await store.SetAsync("kept/k", new byte[1]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SetAsync("kept/a/b/c", new byte[1 << 20], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SetIfAbsentAsync("gone/d", new byte[10], cancelled.Token));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "kept", "a")));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "gone")));
        Assert.Equal(["kept/k"], await store.ListPrefixAsync("").ToListAsync());
    }

    [Fact]
    public async Task ReadOnlyStoresRefuseWrites()
    {
        using var dir = new TempDirectory();
        using var store = new DirectoryStore(dir.Path, readOnly: true);
        var e = await Assert.ThrowsAsync<ZarrStoreException>(async () => await store.SetAsync("a", new byte[1]));
        Assert.Contains("read-only", e.Message);
        await Assert.ThrowsAsync<ZarrStoreException>(async () => await store.SetIfAbsentAsync("a", new byte[1]));
        await Assert.ThrowsAsync<ZarrStoreException>(async () => await new MemoryStore(readOnly: true).DeleteAsync("a"));
    }

    [Fact]
    public async Task ZipStoreFlushesACompleteArchiveAndReopens()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("s.zip");
        using (var store = new ZipStore(path, readOnly: false, create: true))
        {
            await store.SetAsync("zarr.json", Encoding.UTF8.GetBytes("{}"));
            await store.SetAsync("big", new byte[100_000]);
            store.Flush();
            await store.SetAsync("later", new byte[] { 9 });
            await store.DeleteAsync("big");
        }
        using var reopened = new ZipStore(path);
        Assert.True(reopened.IsReadOnly);
        Assert.Equal(["later", "zarr.json"], (await reopened.ListPrefixAsync("").ToListAsync()).Order());
        Assert.Equal(new byte[] { 9 }, await reopened.GetRangeAsync("later", ByteRange.FromOffset(0, 5)));
        Assert.Throws<ZarrStoreException>(() => new ZipStore(dir.Combine("missing.zip")));
        File.WriteAllText(dir.Combine("not.zip"), "hello");
        Assert.Throws<ZarrStoreException>(() => new ZipStore(dir.Combine("not.zip")));
    }

    /// <summary>Keys from a hostile listing or catalog never reach outside the store: each is refused before any I/O.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task KeysThatCouldEscapeTheStoreAreRefused(string kind)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("secret"), "outside");
        using var store = Make(kind, dir);
        foreach (var key in new[] { "../secret", "a/../../secret", "/etc/passwd", "a\\..\\secret", "a\0b", "./zarr.json", "a//b", "" })
        {
            await Assert.ThrowsAsync<ZarrStoreException>(async () => await store.GetAsync(key));
            await Assert.ThrowsAsync<ZarrStoreException>(async () => await store.SetAsync(key, new byte[] { 1 }));
        }
        Assert.Equal("outside", File.ReadAllText(dir.Combine("secret")));
    }
}
