using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Codecs;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Testing;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>Codec settings: given by name, checked by the codec that takes them, stored under technical.{codec}.</summary>
public class CodecOptionTests
{
    private static async Task<AudioArchive> NewArchive() => await AudioArchive.MountAsync(new MemoryStore(), "archive", create: true, ownsStore: true);

    private static ImportOptions With(string codec, params (string Name, object Value)[] options) =>
        new() { Codec = codec, CodecOptions = new(options.Select(o => KeyValuePair.Create(o.Name, (object?)o.Value))) };

    [Fact]
    public async Task FlacSettingsAreStoredUnderTheCodecsOwnField()
    {
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(AudioFixtures.Noise(48_000, 2, 0.3, 1), 48_000, With("flac", ("compressionlevel", 8)));
        var technical = (JsonObject)(await ZarrGroup.OpenAsync(archive.Store, "archive/1")).Attributes["technical"]!;
        Assert.Equal(8, technical["flac"]!["compression_level"]!.GetValue<int>());
        Assert.Equal(4096, technical["flac"]!["blocksize"]!.GetValue<int>());
        Assert.False(technical.ContainsKey("compression_level"));
        Assert.False(technical.ContainsKey("blocksize"));
        Assert.Equal((8, 4096), FlacSettings.Stored(recording.Technical));
        Assert.Equal("flac level 8, blocksize 4096", recording.Codec.Describe(recording.Technical));
        // The default level is the flac tool's.
        var plain = await archive.ImportSamplesAsync(AudioFixtures.Noise(4_800, 1, 0.3, 2), 48_000, new ImportOptions());
        Assert.Equal(5, FlacSettings.Stored(plain.Technical).Level);
    }

    [Fact]
    public async Task AacStoresItsBitrateAndDescribesIt()
    {
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(AudioFixtures.Noise(48_000, 2, 0.3, 1), 48_000, With("aac", ("Bitrate", "128000")));
        Assert.Equal(128_000, recording.Technical.Extension("aac")!["bitrate"]!.GetValue<long>());
        Assert.Equal("aac 128,000 bit/s", recording.Codec.Describe(recording.Technical));
    }

    [Fact]
    public async Task OptionsNoCodecTakesOrOfAnotherCodecOrOutOfRangeAreRefusedBeforeAnythingIsStored()
    {
        using var archive = await NewArchive();
        var samples = AudioFixtures.Noise(4_800, 1, 0.3, 3);
        var unknown = await Assert.ThrowsAsync<InvalidCodecOptionException>(() => archive.ImportSamplesAsync(samples, 48_000, With("auto", ("Quality", 3))));
        Assert.Contains("No codec takes an option 'Quality'", unknown.Message);
        Assert.Contains("CompressionLevel", unknown.Message);
        var other = await Assert.ThrowsAsync<InvalidCodecOptionException>(() => archive.ImportSamplesAsync(samples, 48_000, With("pcm", ("CompressionLevel", 3))));
        Assert.Contains("The pcm codec takes no option 'CompressionLevel'; its options are: none", other.Message);
        var range = await Assert.ThrowsAsync<InvalidCodecOptionException>(() => archive.ImportSamplesAsync(samples, 48_000, With("flac", ("CompressionLevel", 9))));
        Assert.Contains("outside 0 to 8", range.Message);
        var type = await Assert.ThrowsAsync<InvalidCodecOptionException>(() => archive.ImportSamplesAsync(samples, 48_000, With("aac", ("Bitrate", "fast"))));
        Assert.Contains("takes a whole number, not 'fast'", type.Message);
        Assert.Throws<InvalidCodecOptionException>(() => new CodecOptions([KeyValuePair.Create("Bitrate", (object?)1), KeyValuePair.Create("bitrate", (object?)2)]));
        Assert.Empty(await archive.ListIdsAsync());
        // Auto leaves the options of the codec it does not choose unused: a FLAC level for float samples that go to PCM.
        var floats = await archive.ImportSamplesAsync(new float[4_800, 1], 48_000, With("auto", ("CompressionLevel", 8)));
        Assert.Equal("pcm", floats.Technical.Codec);
    }

    [Fact]
    public async Task ARecordingWithTopLevelFlacFieldsKeepsThemWhenItsMetadataChanges()
    {
        using var dir = new TempDirectory();
        RepoPaths.CopyLayoutOneArchive(dir.Path);
        using (var archive = await AudioArchive.MountAsync(dir.Path, "", create: false))
            await archive.SetUserMetadataAsync(1, new Dictionary<string, object?> { ["site"] = "A" }, UserMetadataChange.Merge);
        var technical = (JsonObject)(await ZarrGroup.OpenAsync(new DirectoryStore(dir.Path), "1")).Attributes["technical"]!;
        Assert.Equal(5, technical["compression_level"]!.GetValue<int>());
        Assert.Equal(4096, technical["blocksize"]!.GetValue<int>());
    }
}
