using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Testing;

namespace ZarrAudio.Tests;

/// <summary>
/// A recording whose metadata, FLAC header and frame index all agree on a length far beyond what is stored: a whole
/// read must not allocate that length before it finds the frames missing, and a block no array can hold is refused.
/// </summary>
[Collection(nameof(HostileArchiveFuzzTests))] // measures allocations process-wide: not beside other tests
public sealed class AbsurdLengthTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AWholeReadOfAClaimedLengthAllocatesOnlyWhatIsStored()
    {
        var folder = await LengthenAsync(1L << 30);
        using var archive = await AudioArchive.MountAsync(folder, "", create: false, readOnly: true);
        var recording = await archive.GetRecordingAsync(1);
        Assert.Equal(1L << 30, recording.SampleCount);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var e = await Assert.ThrowsAsync<CorruptRecordingException>(() => recording.ReadAsync(0, recording.SampleCount));
        Assert.Contains("frame index is damaged", e.Message);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        // Taken at its word, the block is 2 GiB of Int16.
        Assert.True(allocated < 64L << 20, $"the refused read allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task ABlockNoArrayCanHoldIsARangeErrorThatSaysToReadInRanges()
    {
        var folder = await LengthenAsync(3L << 30);
        using var archive = await AudioArchive.MountAsync(folder, "", create: false, readOnly: true);
        var recording = await archive.GetRecordingAsync(1);
        var e = await Assert.ThrowsAsync<SampleRangeException>(() => recording.ReadAsync(0, recording.SampleCount));
        Assert.Contains("read recording 1 in ranges", e.Message);
    }

    /// <summary>One second of 8 kHz FLAC, then every place that states its length says <paramref name="samples"/>.</summary>
    private async Task<string> LengthenAsync(long samples)
    {
        var folder = _dir.Combine("archive");
        using (var archive = await AudioArchive.MountAsync(folder, "", create: true))
            await archive.ImportSamplesAsync(AudioFixtures.Noise(8000, 1, 0.3, 1), 8000, new ImportOptions { Codec = "flac" });
        var frames = (samples + 4095) / 4096;
        Edit(Path.Combine(folder, "1", "zarr.json"), json => Technical(json, samples));
        Edit(Path.Combine(folder, "catalog", "pages", "0.json"), json => Technical(json["metadata"]!["1"]!, samples));
        Edit(Path.Combine(folder, "1", "frames0", "zarr.json"), json => json["shape"]![0] = frames);
        Edit(Path.Combine(folder, "1", "flac0", "zarr.json"), json =>
        {
            json["attributes"]!["frames"] = frames;
            // STREAMINFO's total samples: the low 36 bits of the big-endian 64 bits after its first 10 bytes.
            var header = Convert.FromBase64String(json["attributes"]!["flac_header"]!.GetValue<string>());
            var at = header.AsSpan(8 + 10, 8);
            var bits = BinaryPrimitives.ReadUInt64BigEndian(at) & ~((1UL << 36) - 1) | (ulong)samples;
            BinaryPrimitives.WriteUInt64BigEndian(at, bits);
            json["attributes"]!["flac_header"] = Convert.ToBase64String(header);
        });
        return folder;
    }

    private static void Technical(JsonNode group, long samples)
    {
        var technical = group["attributes"]!["technical"]!;
        technical["sample_count"] = samples;
        technical["duration_seconds"] = samples / 8000.0;
    }

    private static void Edit(string path, Action<JsonNode> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        change(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
