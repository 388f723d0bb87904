using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>The catalog agrees with the recordings' own zarr.json under concurrent changes, killed writers and damage.</summary>
public class CatalogTests
{
    private static short[] Samples(int n, int seed) => Enumerable.Range(0, n).Select(i => (short)((i * seed) % 20000)).ToArray();

    private static async Task<(List<string> Catalog, List<string> Truth)> BothListingsAsync(AudioArchive archive)
    {
        archive.UsesCatalog = true;
        var catalog = (await archive.GetRecordingsAsync()).Select(r => $"{r.Id}:{r.Attributes.ToJsonString()}").ToList();
        archive.UsesCatalog = false;
        var truth = (await archive.GetRecordingsAsync()).Select(r => $"{r.Id}:{r.Attributes.ToJsonString()}").ToList();
        return (catalog, truth);
    }

    [Fact]
    public async Task ConcurrentImportsChangesAndRemovalsLeaveTheCatalogEqualToTheTruth()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => archive.ImportSamplesAsync(Samples(500 + i, i + 1), 8000))));
        var random = new Random(4);
        await Task.WhenAll(Enumerable.Range(1, 24).Select(id => Task.Run(async () =>
        {
            if (id % 3 == 0) await archive.RemoveAsync(id);
            else await archive.SetUserMetadataAsync(id, new Dictionary<string, object?> { ["n"] = id }, UserMetadataChange.Merge);
        })).Concat(Enumerable.Range(0, 8).Select(i => Task.Run(() => archive.ImportSamplesAsync(Samples(700 + i, i + 3), 8000)))));
        var (catalog, truth) = await BothListingsAsync(archive);
        Assert.Equal(24 - 8 + 8, truth.Count);
        Assert.Equal(truth, catalog);
        Assert.Empty(await archive.Store.Listable().ListPrefixAsync("catalog/pending/").ToListAsync());
    }

    [Fact]
    public async Task AWriterKilledBetweenItsChangeAndThePageIsReadFromTheTruthAndRepairedFromAnyProcess()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        await archive.ImportSamplesAsync(Samples(100, 1), 8000);
        await archive.ImportSamplesAsync(Samples(100, 2), 8000);
        // What a Set-RecordingMeta killed after writing zarr.json and before its page leaves: a pending marker of a
        // process that is gone, and a page that still holds the old metadata.
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        gone.WaitForExit();
        var marker = new JsonObject { ["pid"] = gone.Id, ["host"] = ProcessStamp.ThisHost, ["since"] = DateTimeOffset.UtcNow.ToString("o") };
        await archive.Store.Writable().SetAsync("catalog/pending/2", Encoding.UTF8.GetBytes(marker.ToJsonString()));
        var group = await ZarrGroup.OpenAsync(archive.Store, "2");
        var changed = (JsonObject)group.Attributes.DeepClone();
        changed["user"] = new JsonObject { ["species"] = "Bubo bubo" };
        await group.SetAttributesAsync(changed);
        // And a removal killed the same way: its zarr.json is gone, the page still lists it.
        await archive.Store.Writable().SetAsync("catalog/pending/1", Encoding.UTF8.GetBytes(marker.ToJsonString()));
        await archive.Store.Writable().DeleteAsync("1/zarr.json");

        var (catalog, truth) = await BothListingsAsync(archive);
        Assert.Equal(truth, catalog);
        Assert.Single(truth);
        Assert.Contains("Bubo bubo", catalog[0]);

        var items = await archive.FindRepairsAsync();
        Assert.Equal([1L, 2L], items.Where(i => i.Kind == RepairKind.PendingCatalogChange).Select(i => i.Id!.Value).Order());
        await archive.RepairAsync();
        Assert.Empty(await archive.Store.Listable().ListPrefixAsync("catalog/pending/").ToListAsync());
        var page = JsonNode.Parse((await archive.Store.GetAsync("catalog/pages/0.json"))!)!;
        Assert.Null(page["metadata"]!["1"]);
        Assert.Equal("Bubo bubo", page["metadata"]!["2"]!["attributes"]!["user"]!["species"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALivePendingChangeIsLeftAloneByRepair()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        await archive.ImportSamplesAsync(Samples(100, 1), 8000);
        await archive.Store.Writable().SetAsync("catalog/pending/1", Encoding.UTF8.GetBytes(ProcessStamp.OfThisProcess().ToJson().ToJsonString()));
        Assert.DoesNotContain(await archive.FindRepairsAsync(), i => i.Kind == RepairKind.PendingCatalogChange);
    }

    [Fact]
    public async Task ADamagedPageFallsBackToTheTruthAndRepairRebuildsIt()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        await archive.ImportSamplesAsync(Samples(100, 1), 8000);
        await archive.Store.Writable().SetAsync("catalog/pages/0.json", "{not json"u8.ToArray());
        archive.UsesCatalog = true;
        Assert.Equal([1L], await archive.ListIdsAsync());
        Assert.Contains(await archive.FindRepairsAsync(), i => i.Kind == RepairKind.CatalogRebuild);
        await archive.RepairAsync();
        var (catalog, truth) = await BothListingsAsync(archive);
        Assert.Equal(truth, catalog);
    }

    [Fact]
    public async Task PagesExistForEveryNumberBelowTheHighestSoReadersWithoutListingFindThemAll()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        // Ids jump past a page (a hundred failed imports would do that): the pages between are created empty.
        for (var id = 1; id <= 201; id += 100) await archive.Store.Writable().SetAsync($"{id}/claim.json", "{\"state\":\"failed\"}"u8.ToArray());
        var r = await archive.ImportSamplesAsync(Samples(100, 1), 8000);
        Assert.Equal(202, r.Id);
        Assert.Equal(["catalog/pages/0.json", "catalog/pages/1.json", "catalog/pages/2.json"], (await archive.Store.Listable().ListPrefixAsync("catalog/pages/").ToListAsync()).Where(k => k.EndsWith(".json")).Order());
    }

    [Fact]
    public async Task AWritableMountGivesALayoutOneArchiveACatalogAndMarksItLayoutTwo()
    {
        using var dir = new TempDirectory();
        RepoPaths.CopyLayoutOneArchive(dir.Path);
        var before = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir.Path, "zarr.json")))!;
        Assert.Equal(1, before["attributes"]!["zarraudio"]!["layout"]!.GetValue<int>());
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: false);
        Assert.True(archive.HasCatalog);
        var after = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir.Path, "zarr.json")))!;
        Assert.Equal(2, after["attributes"]!["zarraudio"]!["layout"]!.GetValue<int>());
        var (catalog, truth) = await BothListingsAsync(archive);
        Assert.NotEmpty(truth);
        Assert.Equal(truth, catalog);
    }
}
