using System.Text;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr.Tests;

/// <summary>What every store must do, whatever holds its bytes: asserted on the local stores and on the remote ones alike.</summary>
internal static class StoreContract
{
    /// <summary>Every operation of <see cref="IStore"/> on an empty, writable store.</summary>
    public static async Task WholeInterfaceAsync(IStore store)
    {
        Assert.Null(await store.GetAsync("a/b"));
        Assert.Null(await store.GetRangeAsync("a/b", ByteRange.FromOffset(0, 1)));
        Assert.Null(await store.GetSizeAsync("a/b"));
        await store.SetAsync("a/b", Encoding.ASCII.GetBytes("0123456789"));
        await store.SetAsync("a/c/d", new byte[] { 1 });
        await store.SetAsync("e", new byte[] { 2 });
        Assert.Equal("0123456789", Encoding.ASCII.GetString((await store.GetAsync("a/b"))!));
        Assert.Equal("345", Encoding.ASCII.GetString((await store.GetRangeAsync("a/b", ByteRange.FromOffset(3, 3)))!));
        Assert.Equal("789", Encoding.ASCII.GetString((await store.GetRangeAsync("a/b", ByteRange.Suffix(3)))!));
        Assert.Equal("89", Encoding.ASCII.GetString((await store.GetRangeAsync("a/b", ByteRange.FromOffset(8, 100)))!));
        Assert.Equal(10, await store.GetSizeAsync("a/b"));
        Assert.True(await store.ExistsAsync("a/c/d"));
        Assert.Equal(["a/b", "a/c/d"], (await store.ListPrefixAsync("a/").ToListAsync()).Order());
        Assert.Equal(["b", "c"], (await store.ListDirectoryAsync("a").ToListAsync()).Order());
        Assert.Equal(["a", "e"], (await store.ListDirectoryAsync("").ToListAsync()).Order());
        Assert.False(await store.SetIfAbsentAsync("e", new byte[] { 3 }));
        Assert.True(await store.SetIfAbsentAsync("f", new byte[] { 4 }));
        Assert.Equal(new byte[] { 2 }, await store.GetAsync("e"));
        await store.DeleteAsync("a/c/d");
        await store.DeleteAsync("never/there");
        Assert.False(await store.ExistsAsync("a/c/d"));
        Assert.Equal(["b"], await store.ListDirectoryAsync("a/").ToListAsync());
        await Assert.ThrowsAsync<ZarrStoreException>(async () => await store.SetAsync("../escape", new byte[1]));
        await Assert.ThrowsAsync<ZarrStoreException>(async () => await store.SetAsync("/abs", new byte[1]));
    }
}
