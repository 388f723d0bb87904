using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// A source decoded by ffmpeg whose format changes midway (a chained Ogg Vorbis: 32 kHz mono, then 48 kHz stereo)
/// was resampled and downmixed into one recording. It is refused, naming the sample where it changes.
/// </summary>
public sealed class FormatChangeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Ogg(string name, int rate, int channels)
    {
        var wav = AudioFixtures.MakeWav(_dir, name + ".wav", rate, 16, channels, 1);
        var ogg = _dir.Combine(name + ".ogg");
        ProcessRunner.Run("ffmpeg", ["-v", "error", "-y", "-i", wav, "-c:a", "libvorbis", ogg]);
        return ogg;
    }

    [Fact]
    public async Task AChainedOggThatChangesRateAndChannelsIsRefusedAtTheSampleWhereItChanges()
    {
        var first = Ogg("first", 32_000, 1);
        var chained = _dir.Combine("chained.ogg");
        File.WriteAllBytes(chained, [.. File.ReadAllBytes(first), .. File.ReadAllBytes(Ogg("second", 48_000, 2))]);
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var e = await Assert.ThrowsAsync<SourceFormatChangedException>(() => archive.ImportFileAsync(chained));
        Assert.Contains("from 32,000 Hz, mono, fltp to 48,000 Hz, stereo, fltp", e.Message);
        Assert.False(e.CanSplit);
        Assert.Empty(await archive.ListIdsAsync());
        // The first part alone is what ffmpeg decodes before the change.
        var alone = await archive.ImportFileAsync(first);
        Assert.Equal(alone.SampleCount, e.AtSample);
        // Split applies to FLAC only: here it is the same refusal.
        await Assert.ThrowsAsync<SourceFormatChangedException>(() => archive.ImportFilePartsAsync(chained));
    }
}
