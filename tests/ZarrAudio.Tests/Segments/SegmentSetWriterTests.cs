using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>Segment sets under concurrent and killed writers, and their splits.</summary>
public class SegmentSetWriterTests(RemoteServers servers) : IClassFixture<RemoteServers>
{
    private static SegmentInput Row(long id, long start, long count, params (string, object?)[] labels) =>
        new() { Id = id, Start = start, Count = count, Labels = labels.ToDictionary(l => l.Item1, l => l.Item2) };

    [Theory]
    [InlineData("directory")]
    [InlineData("azure")]
    public async Task TwoWritersAddingAtOnceLoseNothing(string kind)
    {
        using var dir = new TempDirectory();
        var location = kind == "directory" ? dir.Combine("a") : $"az://{TestServer.AzuriteAccount}/archive/t{Guid.NewGuid():N}";
        var remote = kind == "directory" ? null : servers.AzureOptions();
        using var a = await AudioArchive.MountAsync(location, "", create: true, remote: remote);
        using var b = await AudioArchive.MountAsync(location, "", create: false, remote: remote);
        var id = (await a.ImportSamplesAsync(new short[8000], 8000)).Id;
        await a.CreateSegmentSetAsync("s", []);
        // Two mounts (two stores, as two processes have) each add 8 batches of 5 rows, interleaved.
        var adds = new[] { a, b }.SelectMany((archive, w) => Enumerable.Range(0, 8).Select(k =>
            archive.AddSegmentsAsync("s", Enumerable.Range(0, 5).Select(r => Row(id, w * 1000 + k * 10 + r, 1, ("writer", w == 0 ? "a" : "b")))))).ToList();
        await Task.WhenAll(adds);
        var rows = await b.GetSegmentsAsync("s");
        Assert.Equal(80, rows.Count);
        Assert.Equal(80, rows.Select(r => r.SegmentId).Distinct().Count());
        Assert.Equal(80, rows.Select(r => r.Start).Distinct().Count());
        Assert.Equal(new Dictionary<string, long> { ["a"] = 40, ["b"] = 40 }, (await a.GetSegmentSetAsync("s")).Histograms["writer"]);
    }

    [Fact]
    public async Task AKilledChangeLeavesTheSetAsBeforeAndRepairRemovesWhatItLeft()
    {
        using var dir = new TempDirectory();
        using (var setup = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true))
        {
            var id = (await setup.ImportSamplesAsync(new short[8000], 8000)).Id;
            await setup.CreateSegmentSetAsync("s", [Row(id, 0, 10, ("k", "before"))]);
        }
        // The writer "dies" writing the new version's last column: its rows are stored in part, the set never points at them.
        var faulty = FaultyStore.Wrap(new DirectoryStore(dir.Combine("a"), readOnly: false, create: false), key => key.Contains("/label_k/"));
        using (var dying = await AudioArchive.MountAsync(faulty, "", create: false, ownsStore: true))
            await Assert.ThrowsAsync<IOException>(() => dying.AddSegmentsAsync("s", [Row(1, 20, 10, ("k", "after"))]));
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: false);
        var rows = await archive.GetSegmentsAsync("s");
        Assert.Equal(["before"], rows.Select(r => r.Labels["k"]));
        var found = (await archive.FindRepairsAsync()).Where(i => i.Kind == RepairKind.SegmentSetLeftover).ToList();
        Assert.Single(found);
        Assert.Contains("never made the set's", found[0].Detail);
        await archive.RepairAsync();
        Assert.Empty((await archive.FindRepairsAsync()).Where(i => i.Kind == RepairKind.SegmentSetLeftover));
        Assert.False(Directory.Exists(dir.Combine(found[0].Target)) && Directory.EnumerateFiles(dir.Combine(found[0].Target), "*", SearchOption.AllDirectories).Any());
        // And the set takes changes again.
        await archive.AddSegmentsAsync("s", [Row(1, 20, 10, ("k", "after"))]);
        Assert.Equal(["before", "after"], (await archive.GetSegmentsAsync("s")).Select(r => r.Labels["k"]));
    }

    [Fact]
    public async Task ASplitIsReproducibleKeepsGroupsTogetherAndFollowsTheFractions()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var ids = new List<long>();
        for (var i = 0; i < 40; i++) ids.Add((await archive.ImportSamplesAsync(new short[4000 + i], 8000, name: $"r{i}")).Id);
        // 40 recordings × 5 rows; species by recording, so stratification has whole groups to place.
        var input = ids.SelectMany((id, i) => Enumerable.Range(0, 5).Select(k => Row(id, k * 100, 50, ("species", i % 4 == 0 ? "rare" : "common")))).ToList();
        await archive.CreateSegmentSetAsync("s", input);
        var options = new SegmentSplitOptions { Fractions = [0.7, 0.15, 0.15], Seed = 42, StratifyBy = "species" };
        var counts = await archive.SplitSegmentSetAsync("s", options);
        var first = (await archive.GetSegmentsAsync("s")).ToDictionary(r => r.SegmentId, r => (string)r.Labels["split"]!);
        Assert.Equal(200, counts.Values.Sum());
        Assert.InRange(counts["train"], 130, 150);
        Assert.InRange(counts["validation"], 25, 35);
        var rows = await archive.GetSegmentsAsync("s");
        Assert.All(rows.GroupBy(r => r.Id), g => Assert.Single(g.Select(r => r.Labels["split"]).Distinct()));
        foreach (var split in new[] { "train", "validation", "test" })
            Assert.Contains(rows, r => (string)r.Labels["split"]! == split && (string)r.Labels["species"]! == "rare");

        await archive.SplitSegmentSetAsync("s", options);
        Assert.Equal(first, (await archive.GetSegmentsAsync("s")).ToDictionary(r => r.SegmentId, r => (string)r.Labels["split"]!));
        await archive.SplitSegmentSetAsync("s", options with { Seed = 43 });
        Assert.NotEqual(first, (await archive.GetSegmentsAsync("s")).ToDictionary(r => r.SegmentId, r => (string)r.Labels["split"]!));

        // Grouped by a recording metadata key: a site is never in two parts.
        await archive.SplitSegmentSetAsync("s", options with { GroupBy = "SampleCount", StratifyBy = null, Fractions = [0.5, 0.5], Names = ["a", "b"] });
        Assert.All((await archive.GetSegmentsAsync("s")).GroupBy(r => r.Id), g => Assert.Single(g.Select(r => r.Labels["split"]).Distinct()));
        await Assert.ThrowsAsync<InvalidSegmentException>(() => archive.SplitSegmentSetAsync("s", options with { GroupBy = "nosuchkey" }));
        await Assert.ThrowsAsync<ArgumentException>(() => archive.SplitSegmentSetAsync("s", options with { Names = ["a", "b"] }));
    }
}
