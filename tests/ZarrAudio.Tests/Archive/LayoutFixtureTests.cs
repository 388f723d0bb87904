using ZarrAudio.Archive;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Testing;

namespace ZarrAudio.Tests;

/// <summary>
/// An archive written by layout 1 before the codec seam existed (tests/fixtures/layout1/archive, made from the WAVs
/// beside it): it must still open, list and read sample-exactly, and verify, with whatever code reads archives now.
/// </summary>
public class LayoutFixtureTests
{
    private static string Fixture => Path.Combine(RepoPaths.Root, "tests", "fixtures", "layout1");

    [Theory]
    [InlineData(1L, "stereo16.wav", 16)]
    [InlineData(2L, "mono24.wav", 24)]
    [InlineData(3L, "ten16.wav", 16)]
    public async Task ArchivesFromLayoutOneStillReadBitExact(long id, string source, int bits)
    {
        using var archive = await AudioArchive.MountAsync(Path.Combine(Fixture, "archive"), "", create: false, readOnly: true);
        var ids = (await archive.GetRecordingsAsync()).Select(r => r.Id).Order().ToArray();
        Assert.Equal(new long[] { 1, 2, 3, 4 }, ids);
        var recording = await archive.GetRecordingAsync(id);
        Assert.Equal("flac", recording.Technical.Codec);
        var expected = AudioFixtures.FfmpegDecode(Path.Combine(Fixture, "sources", source), bits);
        Assert.Equal(expected, AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
        // A range inside, on a subset of channels in another order.
        var channels = recording.Channels > 1 ? new[] { recording.Channels - 1, 0 } : [0];
        var part = AudioFixtures.Flatten((await recording.ReadAsync(1000, 2345, channels)).Samples);
        for (var i = 0; i < 2345; i++)
            for (var c = 0; c < channels.Length; c++)
                Assert.Equal(expected[(1000 + i) * recording.Channels + channels[c]], part[i * channels.Length + c]);
        Assert.True((await recording.VerifyAsync()).IsValid);
        // Its codec settings are top-level fields there; they are still found.
        Assert.Equal((5, 4096), FlacSettings.Stored(recording.Technical));
        Assert.Equal("flac level 5, blocksize 4096", recording.Codec.Describe(recording.Technical));
    }

    [Fact]
    public async Task FloatSourceOfLayoutOneReadsAsItsQuantisedSamples()
    {
        using var archive = await AudioArchive.MountAsync(Path.Combine(Fixture, "archive"), "", create: false, readOnly: true);
        var recording = await archive.GetRecordingAsync(4);
        Assert.True(recording.Technical.QuantisedFromFloat);
        var floats = AudioFixtures.FfmpegDecodeFloat(Path.Combine(Fixture, "sources", "float32.wav"));
        var stored = AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples);
        Assert.Equal(floats.Select(f => (int)Math.Clamp(Math.Round(f * 8388608.0), -8388608, 8388607)).ToArray(), stored);
        Assert.Equal("float32", recording.Metadata.User["fixture"]!.GetValue<string>());
    }
}
