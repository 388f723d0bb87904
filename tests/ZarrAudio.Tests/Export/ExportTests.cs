using ZarrAudio.Archive;
using ZarrAudio.Export;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>Exports are decoded again by ffmpeg and compared with the archive's own read, sample by sample.</summary>
public class ExportTests
{
    private static async Task<AudioArchive> NewArchive() => await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);

    [Theory]
    [InlineData(48000, 24, 2, "wav")]
    [InlineData(48000, 24, 2, "flac")]
    [InlineData(22050, 16, 1, "aiff")]
    [InlineData(8000, 8, 1, "wav")]
    [InlineData(96000, 20, 3, "w64")]
    [InlineData(44100, 32, 2, "caf")]
    public async Task LosslessExportEqualsTheArchive(int rate, int bits, int channels, string extension)
    {
        using var dir = new TempDirectory();
        using var archive = await NewArchive();
        // sox writes no 20-bit files: that depth comes in as a sample array.
        var recording = bits == 20
            ? await archive.ImportSamplesAsync(TwentyBitNoise(rate, channels), rate, new ImportOptions { BitsPerSample = 20 })
            : await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "src.wav", rate, bits, channels, 2.5));
        Assert.Equal(bits, recording.Technical.BitsPerSample);
        var target = dir.Combine("out." + extension);
        var result = await RecordingExporter.ExportAsync(recording, target, new ExportRequest());
        Assert.Equal(recording.SampleCount, result.Count);
        var expected = AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples);
        Assert.Equal(expected, AudioFixtures.FfmpegDecode(target, bits));
    }

    [Fact]
    public async Task RangeAndChannelSubsetAreSampleExact()
    {
        using var dir = new TempDirectory();
        var source = AudioFixtures.MakeWav(dir, "dawn chorus.wav", 48000, 16, 3, 3);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(source);
        var (start, count) = (12_345L, 40_001L);
        var expected = AudioFixtures.Flatten((await recording.ReadAsync(start, count, [2, 0])).Samples);
        var result = await RecordingExporter.ExportAsync(recording, dir.Combine("part.flac"), new ExportRequest { Start = start, Count = count, Channels = [2, 0] });
        Assert.Equal(expected, AudioFixtures.FfmpegDecode(result.Path, 16));
        Assert.Equal("1_dawn chorus_12345-52346.flac", ExportFileName.For(recording, start, count, "flac"));
        Assert.Equal("1_dawn chorus.mka", ExportFileName.For(recording, 0, recording.SampleCount, "matroska"));
    }

    [Fact]
    public async Task OnlyTheUsersTagsAreWritten()
    {
        using var dir = new TempDirectory();
        // A source with a title tag and GUANO-style user metadata in the archive: neither may leak into the export.
        var source = dir.Combine("tagged.wav");
        ProcessRunner.Run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=1", "-metadata", "title=from the source", "-metadata", "artist=someone", source]);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(source, new ImportOptions { UserMetadata = new Dictionary<string, object?> { ["species"] = "Turdus merula" } });
        var plain = await RecordingExporter.ExportAsync(recording, dir.Combine("plain.flac"), new ExportRequest());
        Assert.Empty(Tags(plain.Path));
        var tagged = await RecordingExporter.ExportAsync(recording, dir.Combine("tagged.flac"), new ExportRequest { Tags = new Dictionary<string, string> { ["title"] = "a \"quoted\" title\\", ["comment"] = "x y" } });
        var tags = Tags(tagged.Path);
        Assert.Equal("a \"quoted\" title\\", tags["title"]);
        Assert.Equal("x y", tags["comment"]);
        Assert.Equal(2, tags.Count);
    }

    [Fact]
    public async Task BadTargetsFailClearlyAndLeaveNothing()
    {
        using var dir = new TempDirectory();
        var source = AudioFixtures.MakeWav(dir, "s.wav", 8000, 16, 1, 1);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(source);
        var outDir = Directory.CreateDirectory(dir.Combine("out")).FullName;

        await Assert.ThrowsAsync<UnsupportedExportFormatException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "x.nosuchformat"), new ExportRequest()));
        await Assert.ThrowsAsync<UnsupportedExportFormatException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "x.wav"), new ExportRequest { Format = "nosuchmuxer" }));
        // A codec option ffmpeg rejects: the export fails and its partial file is gone.
        await Assert.ThrowsAsync<ExportFailedException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "x.ogg"), new ExportRequest { ExtraOutputArguments = "-c:a nosuchencoder" }));
        await Assert.ThrowsAsync<SampleRangeException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "x.wav"), new ExportRequest { Start = 7000, Count = 2000 }));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => RecordingExporter.ExportAsync(recording, dir.Combine("missing/x.wav"), new ExportRequest()));
        Assert.Empty(Directory.GetFileSystemEntries(outDir));

        var existing = Path.Combine(outDir, "kept.wav");
        File.WriteAllText(existing, "keep me");
        await Assert.ThrowsAsync<ExportTargetExistsException>(() => RecordingExporter.ExportAsync(recording, existing, new ExportRequest()));
        Assert.Equal("keep me", File.ReadAllText(existing));
        await RecordingExporter.ExportAsync(recording, existing, new ExportRequest { Overwrite = true });
        Assert.Equal(AudioFixtures.FfmpegDecode(source, 16), AudioFixtures.FfmpegDecode(existing, 16));

        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "c.wav"), new ExportRequest(), ct: cancel.Token));
        Assert.False(File.Exists(Path.Combine(outDir, "c.wav")));
        Assert.Single(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public async Task LossyFormatsEncode()
    {
        using var dir = new TempDirectory();
        var source = AudioFixtures.MakeWav(dir, "s.wav", 48000, 16, 2, 2);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(source);
        foreach (var ext in new[] { "ogg", "mp3", "m4a", "opus" })
        {
            var result = await RecordingExporter.ExportAsync(recording, dir.Combine("s." + ext), new ExportRequest());
            var decoded = AudioFixtures.FfmpegDecodeFloat(result.Path);
            // Lossy codecs add priming and padding; the length must still be the recording's, within a frame or two.
            Assert.InRange(decoded.Length / 2, recording.SampleCount - 2048, recording.SampleCount + 4096);
        }
    }

    private static int[,] TwentyBitNoise(int rate, int channels)
    {
        var random = new Random(20);
        var samples = new int[rate * 2, channels];
        for (var i = 0; i < samples.GetLength(0); i++)
            for (var c = 0; c < channels; c++) samples[i, c] = random.Next(-(1 << 19), 1 << 19);
        return samples;
    }

    private static Dictionary<string, string> Tags(string path)
    {
        var output = ProcessRunner.Run("ffprobe", ["-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "flat", path]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0][(p[0].LastIndexOf('.') + 1)..], p => System.Text.Json.JsonSerializer.Deserialize<string>(p[1])!, StringComparer.OrdinalIgnoreCase);
    }
}
