using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>Segment sets: stored rows read back exactly, by us and by zarrita; pinned to their audio; bad rows refused.</summary>
public class SegmentSetTests
{
    private static async Task<(AudioArchive Archive, long[] Ids)> ArchiveWithRecordingsAsync(TempDirectory dir, int count = 3, int rate = 8000, int seconds = 4)
    {
        var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var ids = new long[count];
        for (var i = 0; i < count; i++)
            ids[i] = (await archive.ImportSamplesAsync(AudioFixtures.Noise(rate * seconds, 2, 0.1, i + 1), rate, name: $"r{i}")).Id;
        return (archive, ids);
    }

    private static SegmentInput Row(long id, long start, long count, params (string, object?)[] labels) =>
        new() { Id = id, Start = start, Count = count, Labels = labels.ToDictionary(l => l.Item1, l => l.Item2) };

    [Fact]
    public async Task RowsComeBackExactlyAndZarritaReadsTheColumns()
    {
        using var dir = new TempDirectory();
        var (archive, ids) = await ArchiveWithRecordingsAsync(dir);
        using var _ = archive;
        var input = new List<SegmentInput>
        {
            Row(ids[0], 100, 400, ("species", "Myotis"), ("confidence", 0.9)),
            Row(ids[1], 0, 8000, ("species", "Pipistrellus"), ("confidence", null)) with { Channel = 1, LowFrequency = 1000, HighFrequency = 3500 },
            new SegmentInput { Id = ids[2], StartTime = 1.5, Duration = 0.25, Labels = new Dictionary<string, object?> { ["species"] = "Myotis", ["call"] = "feeding buzz" } },
        };
        var info = await archive.CreateSegmentSetAsync("calls", input, new SegmentSetDescription("test set", "tester", ["a.txt"]));
        Assert.Equal(3, info.Rows);
        Assert.Equal(3, info.Recordings);
        Assert.Equal(new Dictionary<string, long> { ["Myotis"] = 2, ["Pipistrellus"] = 1 }, info.Histograms["species"]);
        Assert.Equal(["species", "confidence", "call"], info.Labels);

        var rows = await archive.GetSegmentsAsync("calls");
        Assert.Equal([0L, 1, 2], rows.Select(r => r.SegmentId));
        Assert.Equal([100L, 0, 12000], rows.Select(r => r.Start));
        Assert.Equal([400L, 8000, 2000], rows.Select(r => r.Count));
        Assert.Equal([null, 1, null], rows.Select(r => r.Channel));
        Assert.Equal(1000.0, rows[1].LowFrequency);
        Assert.Equal(0.9, rows[0].Labels["confidence"]);
        Assert.Null(rows[1].Labels["confidence"]);
        Assert.Equal("feeding buzz", rows[2].Labels["call"]);
        Assert.Null(rows[0].Labels["call"]);
        var recording = await archive.GetRecordingAsync(ids[0]);
        Assert.Equal(RecordingFingerprint.Of(recording.Metadata), rows[0].Fingerprint);

        // zarrita, knowing nothing of us, finds the current version in the set's attributes and reads its columns.
        var attrs = JsonNode.Parse(ProcessRunner.Node("zarrita-read.mjs", dir.Combine("a"), "g:sets/calls"))!["groups"]!["sets/calls"]!["zarraudio"]!;
        var version = "sets/calls/" + attrs["current"]!.GetValue<string>();
        var read = JsonNode.Parse(ProcessRunner.Node("zarrita-read.mjs", dir.Combine("a"),
            $"a:{version}/recording", $"a:{version}/start", $"a:{version}/label_species", $"a:{version}/label_confidence", $"a:{version}/fingerprint"))!["arrays"]!;
        static string Sha<T>(T[] values) where T : unmanaged => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan()))).ToLowerInvariant();
        Assert.Equal(Sha(rows.Select(r => r.Id).ToArray()), read[$"{version}/recording"]!["sha256"]!.GetValue<string>());
        Assert.Equal(Sha(new long[] { 100, 0, 12000 }), read[$"{version}/start"]!["sha256"]!.GetValue<string>());
        var species = read[$"{version}/label_species"]!;
        Assert.Equal(["Myotis", "Pipistrellus"], species["attributes"]!["categories"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(Sha(new[] { 0, 1, 0 }), species["sha256"]!.GetValue<string>());
        Assert.Equal(Sha(new[] { 0.9, double.NaN, double.NaN }), read[$"{version}/label_confidence"]!["sha256"]!.GetValue<string>());
        Assert.Equal(Sha(rows.SelectMany(r => Convert.FromHexString(r.Fingerprint)).ToArray()), read[$"{version}/fingerprint"]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task RowsOfARemovedOrReplacedRecordingFailNamingThem()
    {
        using var dir = new TempDirectory();
        var (archive, ids) = await ArchiveWithRecordingsAsync(dir);
        using var _ = archive;
        await archive.CreateSegmentSetAsync("calls", [Row(ids[0], 0, 10), Row(ids[1], 0, 10), Row(ids[1], 20, 10)]);
        await archive.RemoveAsync(ids[1]);
        var stale = await Assert.ThrowsAsync<SegmentStaleException>(() => archive.GetSegmentsAsync("calls"));
        Assert.Equal([1L, 2], stale.SegmentIds);
        Assert.Contains($"recording {ids[1]} was removed", stale.Message);
        var references = await archive.GetSegmentReferencesAsync();
        Assert.Equal([1L, 2], references[ids[1]].Single().SegmentIds);

        // The same id in another archive (or a store rebuilt under it) holds other audio: the pin tells.
        using var otherDir = new TempDirectory();
        var (other, otherIds) = await ArchiveWithRecordingsAsync(otherDir, count: 1);
        using var __ = other;
        var row = (await archive.GetSegmentsAsync("calls", checkPins: false))[0];
        Assert.Equal(ids[0], otherIds[0]);
        var moved = await Assert.ThrowsAsync<InvalidSegmentException>(() => other.CreateSegmentSetAsync("copied", [SegmentInput.From(row)]));
        Assert.Contains("pinned to other audio", moved.Message);
        Assert.Empty(await other.GetSegmentSetsAsync());
    }

    [Fact]
    public async Task BadRowsAreRefusedNamingTheRowAndStoreNothing()
    {
        using var dir = new TempDirectory();
        var (archive, ids) = await ArchiveWithRecordingsAsync(dir, count: 1);
        using var _ = archive;
        async Task<string> Refused(SegmentInput row) =>
            (await Assert.ThrowsAsync<InvalidSegmentException>(() => archive.CreateSegmentSetAsync("bad", [Row(ids[0], 0, 10), row with { Origin = "labels.txt line 3" }]))).Message;
        Assert.Contains("labels.txt line 3: the segment ends at sample 32010", await Refused(Row(ids[0], 32000, 10)));
        Assert.Contains("does not exist", await Refused(Row(99, 0, 10)));
        Assert.Contains("negative duration", await Refused(new SegmentInput { Id = ids[0], StartTime = 2, Duration = -1 }));
        Assert.Contains("outside 0 to 4000 Hz", await Refused(Row(ids[0], 0, 10) with { HighFrequency = 4001 }));
        Assert.Contains("above the high frequency", await Refused(Row(ids[0], 0, 10) with { LowFrequency = 3000, HighFrequency = 2000 }));
        Assert.Contains("channel 2 does not exist", await Refused(Row(ids[0], 0, 10) with { Channel = 2 }));
        Assert.Contains("both in samples", await Refused(Row(ids[0], 0, 10) with { StartTime = 1 }));
        Assert.Empty(await archive.GetSegmentSetsAsync());
        Assert.False(Directory.Exists(dir.Combine("a/sets/bad")));

        await archive.CreateSegmentSetAsync("good", [Row(ids[0], 0, 10)]);
        await Assert.ThrowsAsync<SegmentSetExistsException>(() => archive.CreateSegmentSetAsync("good", [Row(ids[0], 0, 10)]));
        foreach (var name in new[] { "a/b", "..", ".hidden", "", "x\\y", new string('n', 101) })
            await Assert.ThrowsAsync<SegmentSetNameException>(() => archive.CreateSegmentSetAsync(name, [Row(ids[0], 0, 10)]));
        await Assert.ThrowsAsync<SegmentSetNotFoundException>(() => archive.GetSegmentsAsync("missing"));
    }

    [Fact]
    public async Task SecondsBecomeSamplesByOneRuleSoAdjacentRowsStayAdjacent()
    {
        using var dir = new TempDirectory();
        var (archive, ids) = await ArchiveWithRecordingsAsync(dir, count: 1, rate: 44100);
        using var _ = archive;
        // 0.1 s steps at 44.1 kHz fall on 4410-sample boundaries; 1/3 s does not: ends are rounded like starts.
        var input = Enumerable.Range(0, 9).Select(k => new SegmentInput { Id = ids[0], StartTime = k / 3.0, Duration = 1 / 3.0 }).ToList();
        await archive.CreateSegmentSetAsync("thirds", input);
        var rows = await archive.GetSegmentsAsync("thirds");
        for (var k = 1; k < rows.Count; k++) Assert.Equal(rows[k - 1].Start + rows[k - 1].Count, rows[k].Start);
        Assert.Equal(14700, rows[1].Start); // 44100/3
        Assert.Equal(2, Reading.RangeRequest.ToSample(1.5, 1)); // halves to even
        Assert.Equal(2, Reading.RangeRequest.ToSample(2.5, 1));
    }

    [Fact]
    public async Task RemovingRowsKeepsTheOthersAndTheirIds()
    {
        using var dir = new TempDirectory();
        var (archive, ids) = await ArchiveWithRecordingsAsync(dir);
        using var _ = archive;
        await archive.CreateSegmentSetAsync("s", Enumerable.Range(0, 10).Select(k => Row(ids[k % 3], k * 10, 10)));
        var info = await archive.RemoveSegmentsAsync("s", new HashSet<long> { 2, 5 });
        Assert.Equal(8, info.Rows);
        await Assert.ThrowsAsync<InvalidSegmentException>(() => archive.RemoveSegmentsAsync("s", new HashSet<long> { 2 }));
        await archive.AddSegmentsAsync("s", [Row(ids[0], 500, 5)]);
        var rows = await archive.GetSegmentsAsync("s");
        Assert.Equal([0L, 1, 3, 4, 6, 7, 8, 9, 10], rows.Select(r => r.SegmentId));
        Assert.Equal(500, rows[^1].Start);
        await archive.DeleteSegmentSetAsync("s");
        Assert.Empty(await archive.GetSegmentSetsAsync());
        Assert.Empty(Directory.GetFiles(dir.Combine("a/sets"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("sets/zarr.json")));
    }
}
