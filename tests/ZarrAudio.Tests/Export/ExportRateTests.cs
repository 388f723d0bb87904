using ZarrAudio.Archive;
using ZarrAudio.Export;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// An export is at the recording's rate, or it is refused naming the formats that keep it: ffmpeg used to pick a rate
/// the encoder takes and cut the band without a word (a 256 kHz bat call in an MP3, a 250 kHz AAC recording in an .m4a).
/// </summary>
public class ExportRateTests
{
    private static async Task<AudioArchive> NewArchive() => await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);

    [Theory]
    [InlineData("mp3", "flac", "Specified sample rate 256000 is not supported")]
    [InlineData("ogg", "flac", "encoder setup failed")]
    [InlineData("m4a", "aac", "Specified sample rate 256000 is not supported")]
    public async Task AFormatThatCannotHoldTheRateIsRefusedNotResampled(string extension, string codec, string ffmpegSaid)
    {
        using var dir = new TempDirectory();
        var bat = dir.Combine("bat.wav");
        ProcessRunner.Run("sox", ["-n", "-r", "256000", "-b", "16", "-c", "1", bat, "synth", "0.5", "sine", "60000", "vol", "0.3"]);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(bat, new ImportOptions { Codec = codec });
        var outDir = Directory.CreateDirectory(dir.Combine("out")).FullName;
        var refused = await Assert.ThrowsAsync<UnsupportedExportFormatException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "bat." + extension), new ExportRequest()));
        Assert.Contains("256,000 Hz", refused.Message);
        Assert.Contains("WAV, W64, CAF and FLAC keep every rate", refused.Message);
        Assert.Contains(ffmpegSaid, refused.Message);
        Assert.DoesNotContain("@ 0x", refused.Message);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));

        // Asked for, a lower rate is what the user gets.
        var lower = await RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "bat48." + extension), new ExportRequest { ExtraOutputArguments = "-ar 48000" });
        Assert.Equal("48000", ProcessRunner.Run("ffprobe", ["-v", "error", "-show_entries", "stream=sample_rate", "-of", "csv=p=0", lower.Path]).Trim());
    }

    [Fact]
    public async Task FfmpegsOwnReasonIsInTheErrorWithoutItsInternals()
    {
        using var dir = new TempDirectory();
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(AudioFixtures.MakeWav(dir, "s.wav", 48000, 16, 1, 1));
        var outDir = Directory.CreateDirectory(dir.Combine("out")).FullName;
        var banana = await Assert.ThrowsAsync<ExportFailedException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "x.mp3"), new ExportRequest { ExtraOutputArguments = "-b:a banana" }));
        Assert.Contains("Unable to parse option value \"banana\"", banana.Message);
        Assert.DoesNotContain("Conversion failed", banana.Message);
        var muxer = await Assert.ThrowsAsync<UnsupportedExportFormatException>(() => RecordingExporter.ExportAsync(recording, Path.Combine(outDir, "x.wav"), new ExportRequest { Format = "nosuchmuxer" }));
        foreach (var message in new[] { banana.Message, muxer.Message })
        {
            Assert.DoesNotContain("@ 0x", message);
            Assert.DoesNotContain(".partial", message);
        }
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public async Task AnAacRecordingCopiedIntoAnM4aStartsOnTime()
    {
        // The copied frames begin with the encoder's priming; an .m4a without an edit list played a click at sample
        // 48,001 at 50,049.
        using var dir = new TempDirectory();
        var samples = new short[144_000, 1];
        samples[48_001, 0] = 30_000;
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(samples, 48_000, new ImportOptions { Codec = "aac" });
        var result = await RecordingExporter.ExportAsync(recording, dir.Combine("click.m4a"), new ExportRequest());
        var decoded = AudioFixtures.FfmpegDecode(result.Path, 16);
        var peak = Enumerable.Range(0, decoded.Length).MaxBy(i => Math.Abs(decoded[i]));
        Assert.InRange(peak, 48_000, 48_002);
        // The file says its true length: 144,000 samples, in its edit list and its durations (ffmpeg wrote 145,392).
        Assert.Equal("3.000000", ProcessRunner.Run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", result.Path]).Trim());
        // ffmpeg 5.1 follows an edit list's end to the whole frame only: at most one frame (1,024) more. It was 1,408 more.
        Assert.InRange(decoded.Length, 144_000, 144_000 + 1023);
    }
}
