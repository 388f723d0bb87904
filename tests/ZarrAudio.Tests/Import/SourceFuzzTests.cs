using Xunit.Abstractions;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// A seeded fuzzing harness over real sources (a native FLAC with a comment and a picture, an Ogg FLAC, a WAV with a
/// LIST chunk, a 24-bit WAVE_FORMAT_EXTENSIBLE): each case mutates one file (bytes flipped anywhere or in its header, four header bytes set to an
/// extreme, cut, junk appended) and imports it. The import must end in a typed error or a recording that verifies,
/// within bounded time and allocation. A FLAC source is protected by its CRCs and MD5, so what it stores must be the
/// original's samples or, for a file cut short, a prefix of them: never samples the source does not hold. A WAV has
/// no checksum: with its header intact, what it stores differs from the original only in the frames whose bytes
/// were changed, and a cut keeps a prefix.
/// </summary>
[Collection(nameof(HostileArchiveFuzzTests))]
public sealed class SourceFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int Cases = FuzzTally.Cases(150);
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(20);
    private const long AllocationLimit = 256L << 20;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Source(string Path, int[] Truth, int Channels, int BytesPerSample, long DataStart, bool Checksummed);

    [Theory]
    [InlineData(20261203)]
    [InlineData(11)]
    public async Task MutatedSourcesGiveTypedErrorsOrTheirOwnSamples(int seed)
    {
        var sources = await BuildAsync();
        var random = new Random(seed);
        var tally = new FuzzTally(output, CaseTimeout, AllocationLimit);
        for (var i = 0; i < Cases; i++)
        {
            var source = sources[random.Next(sources.Length)];
            var bytes = File.ReadAllBytes(source.Path);
            var (mutation, touched) = Mutate(bytes, source, random, out var mutated);
            var path = _dir.Combine($"case{i}{Path.GetExtension(source.Path)}");
            File.WriteAllBytes(path, mutated);
            await tally.RunAsync($"case {i} (seed {seed}): {mutation} of {Path.GetFileName(source.Path)}",
                () => ImportAsync(path, source, touched, mutated.Length < bytes.Length));
            File.Delete(path);
        }
        tally.Report();
    }

    /// <summary>Imports one mutated file and judges the result; returns a summary and a failure (null: acceptable).</summary>
    private static async Task<(string Summary, string? Failure)> ImportAsync(string path, Source source, (long From, long To)? touched, bool cut)
    {
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        Recording recording;
        try { recording = await archive.ImportFileAsync(path); }
        catch (ZarrAudioException e) { return (e.GetType().Name, null); }
        catch (Exception e) { return ("", $"{e.GetType().Name} is not a typed error: {e.Message}"); }
        if (!(await recording.VerifyAsync()).IsValid) return ("", "the recording it stored does not verify");
        var samples = AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples);
        if (source.Checksummed)
            return IsPrefix(samples, source.Truth) ? ("imported: the source's samples" + (samples.Length < source.Truth.Length ? " (a prefix)" : ""), null)
                : ("", $"stored {samples.Length:N0} values that are not the source's (it holds {source.Truth.Length:N0}; first difference at {FirstDifference(samples, source.Truth):N0}), " +
                    $"read as {recording.Technical.SourceContainer}/{recording.Technical.SourceCodec}, {recording.Technical.SampleRate} Hz, {recording.Technical.Channels} ch, {recording.Technical.BitsPerSample}-bit");
        if (touched is null) return ("imported a WAV whose header changed", null); // the header is what it says: nothing to hold it against
        if (recording.Technical.Channels != source.Channels || recording.Technical.BitsPerSample != 8 * source.BytesPerSample)
            return ("", "its header was not touched, yet it imported in another format");
        if (samples.Length > source.Truth.Length || (!cut && samples.Length < source.Truth.Length))
            return ("", $"stored {samples.Length:N0} values where the source holds {source.Truth.Length:N0}");
        var (from, to) = touched.Value;
        for (var v = 0; v < samples.Length; v++)
        {
            var at = source.DataStart + (long)v * source.BytesPerSample;
            if (samples[v] != source.Truth[v] && (at + source.BytesPerSample <= from || at >= to))
                return ("", $"value {v:N0} (byte {at:N0}) differs though bytes {from:N0}–{to:N0} were the ones changed");
        }
        return ("imported a WAV: the changed bytes only", null);
    }

    private static bool IsPrefix(int[] samples, int[] truth) => samples.Length <= truth.Length && samples.AsSpan().SequenceEqual(truth.AsSpan(0, samples.Length));

    private static int FirstDifference(int[] a, int[] b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }

    /// <summary>
    /// Mutates a copy; returns what was done and, for a WAV whose header was left alone, the byte range changed
    /// (null when the header changed or the kind has no such range).
    /// </summary>
    private static (string What, (long, long)? Touched) Mutate(byte[] original, Source source, Random random, out byte[] bytes)
    {
        bytes = (byte[])original.Clone();
        var header = (int)Math.Min(source.DataStart, bytes.Length);
        switch (random.Next(5))
        {
            case 0:
            {
                var flips = 1 + random.Next(8);
                var where = new List<int>();
                var (low, high) = (long.MaxValue, long.MinValue);
                for (var f = 0; f < flips; f++)
                {
                    var at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 + random.Next(255));
                    where.Add(at);
                    (low, high) = (Math.Min(low, at), Math.Max(high, at + 1));
                }
                return ($"{flips} bytes flipped (at {string.Join(", ", where)})", low >= source.DataStart ? (low, high) : null);
            }
            case 1:
            {
                var flips = 1 + random.Next(4);
                for (var f = 0; f < flips; f++) bytes[random.Next(header)] ^= (byte)(1 + random.Next(255));
                return ($"{flips} header bytes flipped", null);
            }
            case 2:
            {
                var at = random.Next(Math.Max(1, header - 3));
                BitConverter.GetBytes(Extremes[random.Next(Extremes.Length)]).CopyTo(bytes, at);
                return ($"4 header bytes at {at} set to an extreme value", null);
            }
            case 3:
            {
                var keep = random.Next(bytes.Length);
                bytes = bytes[..keep];
                return ($"cut to {keep:N0} bytes", keep >= source.DataStart ? (keep, long.MaxValue) : null);
            }
            default:
            {
                var extra = new byte[1 + random.Next(4096)];
                random.NextBytes(extra);
                bytes = [.. bytes, .. extra];
                return ($"{extra.Length:N0} bytes appended", (original.Length, long.MaxValue));
            }
        }
    }

    private static readonly uint[] Extremes = [0, uint.MaxValue, int.MaxValue, 0x8000_0000, 1 << 24, 0x00FF_FFFF];

    private async Task<Source[]> BuildAsync()
    {
        var picture = _dir.Combine("cover.png");
        File.WriteAllBytes(picture, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[300]]);
        var flacWav = AudioFixtures.MakeWav(_dir, "flac-source.wav", 48_000, 16, 2, 0.4, repeatable: true);
        var flac = _dir.Combine("source.flac");
        ProcessRunner.Run("flac", ["-s", "-f", "-5", "-T", "SITE=Wytham Woods", "--picture", $"3||front|1x1x24/0|{picture}", "-o", flac, flacWav]);
        var oggWav = AudioFixtures.MakeWav(_dir, "ogg-source.wav", 44_100, 24, 1, 0.4, repeatable: true);
        var oga = _dir.Combine("source.oga");
        ProcessRunner.Run("flac", ["-s", "-f", "-5", "--ogg", "--serial-number=20261203", "-T", "SITE=Wytham Woods", "-o", oga, oggWav]);
        var wav = AudioFixtures.MakeWav(_dir, "source.wav", 48_000, 16, 2, 0.4, repeatable: true);
        AppendListChunk(wav);
        var result = new List<Source>();
        // 24-bit stereo: sox writes WAVE_FORMAT_EXTENSIBLE, which ffprobe probes and the WAV reader decodes.
        var extensible = AudioFixtures.MakeWav(_dir, "extensible.wav", 96_000, 24, 2, 0.2, repeatable: true);
        foreach (var (path, channels, bytesPerSample, checksummed) in new[] { (flac, 2, 2, true), (oga, 1, 3, true), (wav, 2, 2, false), (extensible, 2, 3, false) })
        {
            using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
            var recording = await archive.ImportFileAsync(path);
            var truth = AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples);
            result.Add(new Source(path, truth, channels, bytesPerSample, checksummed ? AudioStart(path) : DataStart(path), checksummed));
        }
        return [.. result];
    }

    // Where a FLAC file's frames start is not needed (its checks do not depend on it); its "header" for the header
    // mutations is the first 600 bytes: the metadata blocks, or an Ogg FLAC's first pages.
    private static long AudioStart(string path) => Math.Min(600, new FileInfo(path).Length);

    /// <summary>The byte where a plain WAV's samples start (after "data" and its size).</summary>
    private static long DataStart(string path)
    {
        var bytes = File.ReadAllBytes(path);
        for (var at = 12; at + 8 <= bytes.Length;)
        {
            var size = BitConverter.ToInt32(bytes, at + 4);
            if (bytes.AsSpan(at, 4).SequenceEqual("data"u8)) return at + 8;
            at += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }

    /// <summary>A LIST/INFO chunk after the samples, as recorders write one.</summary>
    private static void AppendListChunk(string wav)
    {
        byte[] info = [.. "INFOICMT"u8, 12, 0, 0, 0, .. "Wytham Wood\0"u8];
        using var file = File.Open(wav, FileMode.Open, FileAccess.ReadWrite);
        file.Seek(0, SeekOrigin.End);
        file.Write([.. "LIST"u8, .. BitConverter.GetBytes(info.Length), .. info]);
        file.Position = 4;
        file.Write(BitConverter.GetBytes((int)file.Length - 8));
    }
}
