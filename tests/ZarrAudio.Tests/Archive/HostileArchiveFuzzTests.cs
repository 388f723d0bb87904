using System.Text.Json.Nodes;
using Xunit.Abstractions;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr;

namespace ZarrAudio.Tests;

/// <summary>
/// A seeded fuzzing harness over a real archive (FLAC, PCM and AAC recordings in a folder): each case mutates one
/// stored file (bytes flipped, cut, extended, JSON values made hostile, file removed), mounts the result, lists,
/// reads every recording whole and verifies it. Whatever happens must be a typed error (ZarrAudio's or the Zarr
/// layer's) within bounded time and memory, or samples equal to the unmutated archive's: never a crash, a hang,
/// another exception type, or a successful read of different samples.
/// </summary>
[Collection(nameof(HostileArchiveFuzzTests))]
public sealed class HostileArchiveFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int Cases = FuzzTally.Cases(200);
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(20);
    // What one case may allocate in all (the archive is 3 recordings of 0.5 s): a bomb or an absurd shape taken at
    // its word allocates gigabytes. Measured process-wide, so the class runs alone (its collection is not parallel).
    private const long AllocationLimit = 256L << 20;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(20261202)]
    [InlineData(7)]
    public async Task MutatedArchivesGiveTypedErrorsOrTheTrueSamples(int seed)
    {
        var original = _dir.Combine("original");
        var expected = await BuildAsync(original);
        var files = Directory.EnumerateFiles(original, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".zarraudio", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(seed);
        var tally = new FuzzTally(output, CaseTimeout, AllocationLimit);
        for (var i = 0; i < Cases; i++)
        {
            var copy = _dir.Combine($"case{i}");
            CopyFolder(original, copy);
            var target = files[random.Next(files.Length)];
            var mutated = Path.Combine(copy, Path.GetRelativePath(original, target));
            var mutation = Mutate(mutated, random);
            await tally.RunAsync($"case {i} (seed {seed}): {mutation} of {Path.GetRelativePath(original, target)}", async () =>
            {
                var outcome = await ExerciseAsync(copy, expected);
                return (outcome.Summary, outcome.Failure);
            });
            Directory.Delete(copy, recursive: true);
        }
        tally.Report();
    }

    /// <summary>Found by the harness: a FLAC stream whose channel list was emptied read as silence, successfully.</summary>
    [Theory]
    [InlineData("flac", "1/flac0/zarr.json")]
    [InlineData("aac", "1/aac0/zarr.json")]
    public async Task AStreamThatNoLongerHoldsItsChannelsIsDamageNotSilence(string codec, string file)
    {
        var folder = _dir.Combine(codec);
        using (var archive = await AudioArchive.MountAsync(folder, "", create: true))
            await archive.ImportSamplesAsync(AudioFixtures.Noise(8_000, 2, 0.3, 1), 16_000, new ImportOptions { Codec = codec });
        var path = Path.Combine(folder, file);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["attributes"]!["channels"] = new JsonArray(JsonValue.Create(0));
        File.WriteAllText(path, json.ToJsonString());
        using var again = await AudioArchive.MountAsync(folder, "", create: false, readOnly: true);
        var recording = await again.GetRecordingAsync(1);
        var e = await Assert.ThrowsAsync<CorruptRecordingException>(() => recording.ReadAsync(0, recording.SampleCount));
        Assert.Contains("channels [0]", e.Message);
    }

    private sealed record Outcome(string Summary, string? Failure);

    /// <summary>Mount, list, read each recording whole and verify it; every result judged.</summary>
    private static async Task<Outcome> ExerciseAsync(string folder, IReadOnlyDictionary<long, int[]> expected)
    {
        var seen = new List<string>();
        try
        {
            using var archive = await AudioArchive.MountAsync(folder, "", create: false, readOnly: true);
            var recordings = await archive.GetRecordingsAsync(damaged: (id, e) => seen.Add($"damaged {id}"));
            foreach (var recording in recordings)
            {
                try
                {
                    var block = await recording.ReadAsync(0, recording.SampleCount);
                    var samples = AudioFixtures.Flatten(block.Samples);
                    if (!expected.TryGetValue(recording.Id, out var truth) || !samples.SequenceEqual(truth))
                        return new Outcome("", $"recording {recording.Id} read successfully but its samples differ from the original's");
                    seen.Add("read ok");
                }
                catch (Exception e) when (IsTyped(e)) { seen.Add(e.GetType().Name); }
                try { seen.Add((await recording.VerifyAsync()).IsValid ? "valid" : "invalid"); }
                catch (Exception e) when (IsTyped(e)) { seen.Add(e.GetType().Name); }
            }
            return new Outcome(string.Join(", ", seen.Distinct()), null);
        }
        catch (Exception e) when (IsTyped(e)) { return new Outcome(string.Join(", ", seen.Append(e.GetType().Name).Distinct()), null); }
        catch (Exception e) { return new Outcome("", $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}"); }
    }

    private static bool IsTyped(Exception e) => e is ZarrAudioException or ZarrException;

    private static async Task<Dictionary<long, int[]>> BuildAsync(string folder)
    {
        using var archive = await AudioArchive.MountAsync(folder, "", create: true);
        var expected = new Dictionary<long, int[]>();
        foreach (var codec in new[] { "flac", "pcm", "aac" })
        {
            var recording = await archive.ImportSamplesAsync(AudioFixtures.Noise(24_000, 2, 0.3, codec.Length), 48_000, new ImportOptions { Codec = codec });
            expected[recording.Id] = AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples);
        }
        return expected;
    }

    private static string Mutate(string path, Random random)
    {
        var bytes = File.ReadAllBytes(path);
        var kind = random.Next(path.EndsWith(".json", StringComparison.Ordinal) || Path.GetFileName(path) == "zarr.json" ? 7 : 5);
        switch (kind)
        {
            case 0:
                var flips = 1 + random.Next(8);
                for (var f = 0; f < flips && bytes.Length > 0; f++) bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
                File.WriteAllBytes(path, bytes);
                return $"{flips} bytes flipped";
            case 1:
                var keep = bytes.Length == 0 ? 0 : random.Next(bytes.Length);
                File.WriteAllBytes(path, bytes[..keep]);
                return $"cut to {keep} bytes";
            case 2:
                var extra = new byte[1 + random.Next(4096)];
                random.NextBytes(extra);
                File.WriteAllBytes(path, [.. bytes, .. extra]);
                return $"{extra.Length} bytes appended";
            case 3:
                File.Delete(path);
                return "removed";
            case 4:
                // Eight bytes anywhere set to an extreme value: offsets and lengths in shard indexes, frame indexes.
                if (bytes.Length >= 8)
                {
                    var at = random.Next(bytes.Length - 7) & ~7;
                    BitConverter.GetBytes(Extremes[random.Next(Extremes.Length)]).CopyTo(bytes, at);
                }
                File.WriteAllBytes(path, bytes);
                return "8 bytes set to an extreme value";
            default:
                return MutateJson(path, bytes, random);
        }
    }

    private static readonly long[] Extremes = [long.MaxValue, long.MinValue, -1, 0, 1L << 62, uint.MaxValue, int.MaxValue, 1L << 40];

    private static readonly JsonNode?[] HostileValues =
    [
        JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1L << 62), JsonValue.Create(long.MaxValue), JsonValue.Create(1e308),
        JsonValue.Create("x"), null, new JsonArray(), new JsonObject(), JsonValue.Create(true), JsonValue.Create(new string('a', 1 << 16)),
        new JsonArray(JsonValue.Create(0), JsonValue.Create(0)), new JsonObject { ["__proto__"] = new JsonObject { ["polluted"] = true } },
    ];

    private static string MutateJson(string path, byte[] bytes, Random random)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(bytes); }
        catch (System.Text.Json.JsonException) { return "not JSON: left as it is"; }
        var nodes = new List<(JsonNode Parent, string? Key, int Index)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o.ToList()) { nodes.Add((o, k, -1)); Walk(v); }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) { nodes.Add((a, null, i)); Walk(a[i]); }
                    break;
            }
        }
        Walk(root);
        if (nodes.Count == 0) return "empty JSON: left as it is";
        var (parent, key, index) = nodes[random.Next(nodes.Count)];
        var value = HostileValues[random.Next(HostileValues.Length)]?.DeepClone();
        string what;
        if (parent is JsonObject obj)
        {
            if (random.Next(4) == 0) { obj.Remove(key!); what = $"'{key}' removed"; }
            else { obj[key!] = value; what = $"'{key}' set to {Show(value)}"; }
        }
        else
        {
            ((JsonArray)parent)[index] = value;
            what = $"item {index} set to {Show(value)}";
        }
        File.WriteAllText(path, root!.ToJsonString());
        return "JSON " + what;
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() is { Length: > 40 } long_ ? long_[..40] + "…" : value?.ToJsonString() ?? "null";

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}

/// <summary>The fuzzing harness measures allocations process-wide: nothing else may run beside it.</summary>
[CollectionDefinition(nameof(HostileArchiveFuzzTests), DisableParallelization = true)]
public sealed class HostileArchiveFuzzCollection;
