using ZarrAudio.Archive;
using ZarrAudio.Segments;
using ZarrAudio.Segments.LabelFiles;
using ZarrAudio.Testing;

namespace ZarrAudio.Tests;

/// <summary>Raven, Audacity and BirdNET label files (hand-written fixtures in tests/data/labels): read, matched, written back.</summary>
public class LabelFileTests
{
    private static string Fixture(string name) => Path.Combine(RepoPaths.TestDataFolder, "labels", name);

    [Fact]
    public void RavenTablesCountEachSelectionOnceAndKeepEveryOtherColumn()
    {
        Assert.Equal(LabelFileFormat.Raven, LabelFileReader.Detect(Fixture("dawn.Table.1.selections.txt")));
        var rows = LabelFileReader.Read(Fixture("dawn.Table.1.selections.txt"));
        Assert.Equal([0.5, 1.25, 4.0], rows.Select(r => r.Start));
        Assert.Equal([0.75, 1.375, 4.02], rows.Select(r => r.End));
        Assert.Equal([0, 1, 0], rows.Select(r => r.Channel ?? -1));
        Assert.Equal([2, 4, 5], rows.Select(r => r.Line)); // the first of a selection's view rows
        Assert.Equal(9000.5, rows[1].HighFrequency);
        Assert.Equal("faint, \"distant\"", rows[1].Labels["Notes"]);
        Assert.Null(rows[0].Labels["Notes"]);
        Assert.Equal("buzz", rows[2].Labels["Call Type"]);
        Assert.DoesNotContain("View", rows[0].Labels.Keys);
        Assert.Equal("dawn", LabelFileMatcher.AudioNameOf(rows[0]));
    }

    [Fact]
    public void AMultiFileTableGivesTimesWithinEachFile()
    {
        var rows = LabelFileReader.Read(Fixture("season.selections.txt"));
        Assert.Equal(["/field/2024/dawn.wav", "/field/2024/dusk.wav"], rows.Select(r => r.AudioFile));
        Assert.Equal(0.5, rows[1].Start);
        Assert.Equal(0.75, rows[1].End, 12);
        Assert.Equal("Strix aluco", rows[1].Labels["Species"]);
        Assert.DoesNotContain("Begin File", rows[1].Labels.Keys);
    }

    [Fact]
    public void AudacityTracksKeepPointLabelsAndBandsWithMinusOneUnset()
    {
        Assert.Equal(LabelFileFormat.Audacity, LabelFileReader.Detect(Fixture("dawn.txt")));
        var rows = LabelFileReader.Read(Fixture("dawn.txt"));
        Assert.Equal(3, rows.Count);
        Assert.Equal((20000.0, 24000.0), (rows[0].LowFrequency!.Value, rows[0].HighFrequency!.Value));
        Assert.Equal(rows[1].Start, rows[1].End);
        Assert.Null(rows[2].LowFrequency);
        Assert.Equal(9000.0, rows[2].HighFrequency);
        Assert.Equal("Turdus merula song", rows[2].Labels["label"]);
    }

    [Fact]
    public void BirdNetTablesAndCsvKeepNamesAndConfidences()
    {
        var table = LabelFileReader.Read(Fixture("dawn.BirdNET.selection.table.txt"));
        Assert.Equal([0.8123, 0.441], table.Select(r => (double)r.Labels["Confidence"]!));
        Assert.Equal("European Robin", table[1].Labels["Common Name"]);
        Assert.Equal(3.0, table[1].Start);
        Assert.Equal("/data/dawn.wav", table[0].AudioFile);
        Assert.Equal(LabelFileFormat.BirdNetCsv, LabelFileReader.Detect(Fixture("dawn.BirdNET.results.csv")));
        var csv = LabelFileReader.Read(Fixture("dawn.BirdNET.results.csv"));
        Assert.Equal("Owl, Tawny", csv[1].Labels["Common name"]);
        Assert.Equal(0.6021, csv[1].Labels["Confidence"]);
        Assert.Equal("/data/dusk.wav", csv[2].AudioFile);
        Assert.Equal(3, csv[1].Line);
        // Its Audacity output: the confidence as a fourth field.
        var track = LabelFileReader.Read(Fixture("dawn.BirdNET.results.txt"));
        Assert.Equal(["Turdus merula_Eurasian Blackbird", "Erithacus rubecula_European Robin"], track.Select(r => r.Labels["label"]));
        Assert.Equal([0.8123, 0.441], track.Select(r => (double)r.Labels["confidence"]!));
        Assert.Equal("dawn", LabelFileMatcher.AudioNameOf(track[0]));
    }

    [Fact]
    public void DamagedFilesNameTheirLine()
    {
        var backwards = Assert.Throws<LabelFileException>(() => LabelFileReader.Read(Fixture("bad-end-before-start.selections.txt")));
        Assert.Equal(2, backwards.Line);
        Assert.Contains("before the start", backwards.Message);
        var cut = Assert.Throws<LabelFileException>(() => LabelFileReader.Read(Fixture("bad-truncated.selections.txt")));
        Assert.Equal(3, cut.Line);
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("odd.txt"), "hello\tworld\n");
        Assert.Contains("Say which with -Format", Assert.Throws<LabelFileException>(() => LabelFileReader.Detect(dir.Combine("odd.txt"))).Message);
        File.WriteAllText(dir.Combine("x.selections.txt"), "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\n1\tSpectrogram 1\t1\tsoon\t2\n");
        Assert.Contains("'Begin Time (s)' is 'soon'", Assert.Throws<LabelFileException>(() => LabelFileReader.Read(dir.Combine("x.selections.txt"))).Message);
    }

    [Fact]
    public async Task TablesMatchTheirRecordingsAndRoundTripToTheSameSamples()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        Directory.CreateDirectory(dir.Combine("field"));
        var dawn = (await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "field/dawn.wav", 48000, 16, 2, 6))).Id;
        var dusk = (await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "dusk.wav", 48000, 16, 1, 2))).Id;
        var recordings = await archive.GetRecordingsAsync();

        var (matched, unmatched) = new LabelFileMatcher(recordings).Match(LabelFileReader.Read(Fixture("dawn.Table.1.selections.txt")), null);
        Assert.Empty(unmatched);
        Assert.All(matched, m => Assert.Equal(dawn, m.Id));
        await archive.CreateSegmentSetAsync("raven", matched);
        var stored = await archive.GetSegmentsAsync("raven");
        Assert.Equal([24000L, 60000, 192000], stored.Select(r => r.Start));
        Assert.Equal([12000L, 6000, 960], stored.Select(r => r.Count));

        // BirdNET's CSV names /data/dawn.wav and /data/dusk.wav: matched by file name.
        var (birdnet, missing) = new LabelFileMatcher(recordings).Match(LabelFileReader.Read(Fixture("dawn.BirdNET.results.csv")), null);
        Assert.Equal([dawn, dawn, dusk], birdnet.Select(b => b.Id));
        Assert.Empty(missing);

        // Written back as one multi-file table and as Audacity tracks, read again: the same samples and labels.
        var audio = new Dictionary<long, (string, double)> { [dawn] = ("dawn.wav", 6.0) };
        File.WriteAllText(dir.Combine("all.selections.txt"), LabelFileWriter.Raven(stored, audio));
        var (again, _) = new LabelFileMatcher(recordings).Match(LabelFileReader.Read(dir.Combine("all.selections.txt")), null);
        await archive.CreateSegmentSetAsync("again", again);
        var reread = await archive.GetSegmentsAsync("again");
        Assert.Equal(stored.Select(r => (r.Id, r.Start, r.Count, r.Channel)), reread.Select(r => (r.Id, r.Start, r.Count, r.Channel)));
        Assert.Equal(stored.Select(r => r.Labels["Species"]), reread.Select(r => r.Labels["Species"]));
        File.WriteAllText(dir.Combine("dawn.txt"), LabelFileWriter.Audacity(stored, "Species"));
        var (track, _) = new LabelFileMatcher(recordings).Match(LabelFileReader.Read(dir.Combine("dawn.txt")), null);
        await archive.CreateSegmentSetAsync("track", track);
        Assert.Equal(stored.Select(r => (r.Start, r.Count, r.HighFrequency)), (await archive.GetSegmentsAsync("track")).Select(r => (r.Start, r.Count, r.HighFrequency)));
    }

    [Fact]
    public async Task ANameThatFitsTwoRecordingsIsRefusedUnlessTheAudioBesideTheLabelsDecides()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        Directory.CreateDirectory(dir.Combine("site1"));
        Directory.CreateDirectory(dir.Combine("site2"));
        var first = (await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "site1/dawn.wav", 48000, 16, 2, 6))).Id;
        var second = (await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "site2/dawn.wav", 48000, 16, 2, 6))).Id;
        File.Copy(Fixture("dawn.txt"), dir.Combine("dawn.txt"));
        var rows = LabelFileReader.Read(dir.Combine("dawn.txt"));
        var (none, why) = new LabelFileMatcher(await archive.GetRecordingsAsync()).Match(rows, null);
        Assert.Empty(none);
        Assert.Contains($"ids {first}, {second}", why[0].Why);
        // The labels kept beside their audio (as Audacity and Raven users do): the SHA-256 decides.
        File.Copy(dir.Combine("dawn.txt"), dir.Combine("site2/dawn.txt"));
        var (found, _) = new LabelFileMatcher(await archive.GetRecordingsAsync()).Match(LabelFileReader.Read(dir.Combine("site2/dawn.txt")), null);
        Assert.All(found, f => Assert.Equal(second, f.Id));
        var (given, _) = new LabelFileMatcher([]).Match(rows, first);
        Assert.All(given, g => Assert.Equal(first, g.Id));
    }
}
