using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>The field recordings of tests/data (and generated stand-ins): lossless ones round trip bit-exact, metadata is found.</summary>
public class FieldRecordingTests
{
    public static TheoryData<string, int> LosslessFiles() => new()
    {
        { "spinetail.wav", 16 },
        { "LluviasDeMayo.flac", 16 },
        { GeneratedRecordings.EchoMeter, 16 },
        { GeneratedRecordings.Batlogger, 16 },
        { "SPKRPLAYBACK_multichirp_2018-08-18_09-15-06_ch9-12_first2s.wav", 16 },
        { "metadata.wav", 16 },
        { "GRAS_1Pa_240819_0331.wav", 24 },
        { "deermouse-go.wav", 16 },
        { "gs-16b-1c-44100hz.m4a", 16 },
    };

    [Theory]
    [MemberData(nameof(LosslessFiles))]
    public async Task LosslessFieldRecordingsRoundTripBitExact(string name, int bits)
    {
        var path = RepoPaths.TestData(name);
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var recording = await archive.ImportFileAsync(path);
        var expected = AudioFixtures.FfmpegDecode(path, bits);
        Assert.Equal(bits, recording.Technical.BitsPerSample);
        Assert.Equal(expected.Length / recording.Channels, recording.SampleCount);
        Assert.Equal(expected, AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
        Assert.Equal(name, recording.Metadata.Source.FileName);
        Assert.Equal(64, recording.Metadata.Source.Sha256!.Length);
    }

    [Fact]
    public async Task FloatAndLossySourcesAreQuantisedTo24BitAsFlac()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var bat = await archive.ImportFileAsync(RepoPaths.TestData("Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav"), new ImportOptions { Codec = "flac" });
        Assert.True(bat.Technical.QuantisedFromFloat);
        Assert.Equal(500000, bat.SampleRate);
        var floats = AudioFixtures.FfmpegDecodeFloat(RepoPaths.TestData("Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav"));
        var stored = AudioFixtures.Flatten((await bat.ReadAsync(0, bat.SampleCount)).Samples);
        Assert.Equal(floats.Length, stored.Length);
        for (var i = 0; i < floats.Length; i++)
            Assert.Equal((int)Math.Clamp(Math.Round(floats[i] * 8388608.0), -8388608, 8388607), stored[i]);

        var ambisonic = await archive.ImportFileAsync(RepoPaths.TestData("HOA3_rec1_01-08ch.ogg"));
        Assert.Equal(8, ambisonic.Channels);
        Assert.Equal("vorbis", ambisonic.Technical.SourceCodec);
    }

    [Fact]
    public async Task VideoSourcesImportTheirAudioAndLocation()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var video = await archive.ImportFileAsync(RepoPaths.TestData("fire2.mp4"));
        Assert.Equal(48000, video.SampleRate);
        Assert.Equal("aac", video.Technical.SourceCodec);
        Assert.Equal(54.1843, video.Technical.Latitude);
        Assert.Equal(-2.7189, video.Technical.Longitude);
        Assert.Equal(new DateTime(2017, 1, 5, 18, 32, 43, DateTimeKind.Utc), video.Technical.RecordedAt);
        Assert.NotNull(video.Metadata.File["ffprobe"]!["streams"]);
    }

    [Fact]
    public async Task WildlifeMetadataIsParsed()
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var echo = await archive.ImportFileAsync(RepoPaths.TestData(GeneratedRecordings.EchoMeter));
        Assert.Equal("PIPPIP", echo.Metadata.File["guano"]!["Species Auto ID"]!.GetValue<string>());
        Assert.Equal(50.7179417, echo.Technical.Latitude);
        Assert.Equal(-1.7611083, echo.Technical.Longitude);
        Assert.StartsWith("Wildlife Acoustics Echo Meter Touch 2", echo.Technical.Device);

        var batlogger = await archive.ImportFileAsync(RepoPaths.TestData(GeneratedRecordings.Batlogger));
        Assert.Equal(new DateTime(2024, 5, 31, 22, 39, 11), batlogger.Technical.RecordedAt);
        Assert.Equal("BATLOGGER S2 22060166", batlogger.Technical.Device);

        var moth = await archive.ImportFileAsync(RepoPaths.TestData("metadata.wav"));
        Assert.Equal(new DateTime(2020, 4, 4, 10, 25, 0, DateTimeKind.Utc), moth.Technical.RecordedAt);
        Assert.Equal("AudioMoth 24526B065D325963", moth.Technical.Device);
        Assert.Equal("24526B065D325963", moth.Metadata.File["audiomoth"]!["device_id"]!.GetValue<string>());

        var bwf = await archive.ImportFileAsync(RepoPaths.TestData("GRAS_1Pa_240819_0331.wav"));
        Assert.Equal("TASCAM Portacapture X6", bwf.Metadata.File["bext"]!["originator"]!.GetValue<string>());
        Assert.Equal("TASCAM Portacapture X6", bwf.Technical.Device);
        Assert.Equal(new DateTime(2024, 8, 19, 12, 44, 2), bwf.Technical.RecordedAt);

        var tagged = await archive.ImportFileAsync(RepoPaths.TestData("LluviasDeMayo.flac"));
        Assert.Equal("Félix Blume", tagged.Metadata.File["ffprobe"]!["format"]!["tags"]!["ARTIST"]!.GetValue<string>());
    }
}
