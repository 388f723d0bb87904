using ZarrAudio.Archive;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Reading;
using ZarrAudio.Testing;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// An archive never returns a sample it did not read and verify. Found when one process read while another
/// removed the recording (590 of 2,376 reads returned wrong samples silently) or a shard file vanished.
/// </summary>
public class ReadVerificationTests
{
    private static short[,] Noise(int frames, int channels, int seed)
    {
        var data = new short[frames, channels];
        var random = new Random(seed);
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < channels; c++) data[i, c] = (short)random.Next(-20000, 20000);
        return data;
    }

    [Fact]
    public void FramesDecodedAtTheWrongPositionAreRefusedNotRenumbered()
    {
        var samples = Noise(4096 * 6, 1, 11);
        var sink = new PositionedFrames();
        StreamInfo info;
        using (var encoder = new FlacEncoder(1, 16, 48000, 5, 4096, sink))
        {
            var interleaved = new int[samples.Length];
            for (var i = 0; i < interleaved.Length; i++) interleaved[i] = samples[i, 0];
            encoder.Write(interleaved);
            info = encoder.Finish();
        }
        using var decoder = new FlacDecoder(info.ToHeader());
        var frame2 = sink.Frame(2);
        // Right position: exact.
        var output = new short[4096];
        decoder.DecodeRange(frame2, 8192, 8192, 4096, new MonoTarget(output));
        for (var i = 0; i < 4096; i++) Assert.Equal(samples[8192 + i, 0], output[i]);
        // The bytes of frame 2 handed over as if they were frame 1 (a stale buffer, a shifted index): an error.
        var e = Assert.Throws<CorruptRecordingException>(() => decoder.DecodeRange(frame2, 4096, 4096, 4096, new MonoTarget(new short[4096])));
        Assert.Contains("sample 8192", e.Message);
    }

    [Fact]
    public async Task AReaderOfARecordingAnotherProcessRemovedGetsRecordingNotFound()
    {
        using var dir = new TempDirectory();
        using var reader = await AudioArchive.MountAsync(dir.Path, "", create: true);
        var samples = Noise(48000 * 20, 2, 1);
        var recording = await reader.ImportSamplesAsync(samples, 48000);
        // The reader has the recording open: frame index and shard indexes cached.
        await recording.ReadAsync(100_000, 4800);
        using (var remover = await AudioArchive.MountAsync(dir.Path, "", create: false))
            await remover.RemoveAsync(recording.Id);
        var cached = await reader.GetRecordingAsync(recording.Id);
        foreach (var start in new long[] { 100_000, 0, 500_000, 48000 * 19 })
        {
            var e = await Assert.ThrowsAsync<RecordingNotFoundException>(() => cached.ReadAsync(start, 4800));
            Assert.Equal(recording.Id, e.Id);
        }
        // Listing reads the metadata again: the removed recording is not listed.
        Assert.Empty(await reader.GetRecordingsAsync());
    }

    [Fact]
    public async Task ReadsRacingARemovalInAnotherArchiveAreExactOrRecordingNotFound()
    {
        using var dir = new TempDirectory();
        using var reader = await AudioArchive.MountAsync(dir.Path, "", create: true);
        var samples = Noise(48000 * 60, 2, 2);
        var recording = await reader.ImportSamplesAsync(samples, 48000);
        await recording.ReadAsync(0, 10);
        using var stop = new CancellationTokenSource();
        int exact = 0, notFound = 0;
        var readers = Enumerable.Range(0, 2).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            var buffer = new short[4800 * 2];
            while (!stop.IsCancellationRequested)
            {
                var start = random.NextInt64(0, recording.SampleCount - 4800);
                Array.Fill(buffer, (short)12345);
                try { recording.ReadInto<short>(start, 4800, buffer); }
                catch (RecordingNotFoundException) { Interlocked.Increment(ref notFound); continue; }
                for (var i = 0; i < 4800; i++)
                    for (var c = 0; c < 2; c++)
                        Assert.Equal(samples[start + i, c], buffer[2 * i + c]);
                Interlocked.Increment(ref exact);
            }
        })).ToArray();
        await Task.Delay(300);
        using (var remover = await AudioArchive.MountAsync(dir.Path, "", create: false))
            await remover.RemoveAsync(recording.Id);
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.True(exact > 0, "no read ran before the removal");
        Assert.True(notFound > 0, "no read ran after the removal");
    }

    [Fact]
    public async Task AShardFileDeletedUnderAMountedReaderIsCorruptNeverWrongSamples()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: true);
        var samples = Noise(48000 * 30, 2, 3);
        var recording = await archive.ImportSamplesAsync(samples, 48000);
        var random = new Random(4);
        for (var i = 0; i < 20; i++) await recording.ReadAsync(random.NextInt64(0, recording.SampleCount - 4800), 4800);
        File.Delete(Path.Combine(dir.Path, recording.Id.ToString(), "flac0", "c", "0"));
        var failures = 0;
        var buffer = new short[4800 * 2];
        for (var i = 0; i < 200; i++)
        {
            var start = random.NextInt64(0, recording.SampleCount - 4800);
            try { recording.ReadInto<short>(start, 4800, buffer); }
            catch (CorruptRecordingException) { failures++; continue; }
            for (var j = 0; j < 4800; j++) Assert.Equal(samples[start + j, 0], buffer[2 * j]);
        }
        Assert.True(failures > 0, "no read touched the deleted shard");
        // A fresh mount says the same.
        using var again = await AudioArchive.MountAsync(dir.Path, "", create: false);
        await Assert.ThrowsAsync<CorruptRecordingException>(async () => await (await again.GetRecordingAsync(recording.Id)).ReadAsync(0, 4800));
    }

    [Fact]
    public async Task AMissingFrameIndexChunkIsCorruptNotAnIndexOfZeros()
    {
        using var dir = new TempDirectory();
        using (var writer = await AudioArchive.MountAsync(dir.Path, "", create: true))
            await writer.ImportSamplesAsync(Noise(48000 * 5, 1, 5), 48000);
        File.Delete(Path.Combine(dir.Path, "1", "frames0", "c", "0", "0"));
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: false);
        var recording = await archive.GetRecordingAsync(1);
        await Assert.ThrowsAsync<CorruptRecordingException>(async () => await recording.ReadAsync(48000 * 2, 100));
        // The integrity check (Test-Recording) said "valid" here before.
        var report = await recording.VerifyAsync();
        Assert.False(report.IsValid);
        Assert.Contains(report.Problems, p => p.Contains("frame index", StringComparison.Ordinal));
    }

    private sealed unsafe class MonoTarget(short[] output) : SampleTarget(output.Length, 1, [0], 0)
    {
        protected override void WriteColumn<T>(T* source, int stride, long at, int count)
        {
            for (var i = 0; i < count; i++) output[at + i] = short.CreateTruncating(source[i * stride]);
        }
    }

    /// <summary>Frames as the encoder emitted them, each with its bytes.</summary>
    private sealed class PositionedFrames : ZarrAudio.Codecs.IFrameSink
    {
        private readonly List<byte[]> _frames = [];
        public byte[] Frame(int i) => _frames[i];
        public void OnFrame(ReadOnlySpan<byte> frame, long firstSample, int sampleCount) => _frames.Add(frame.ToArray());
    }

    [Fact]
    public async Task DamageIsPlacedAtTheFirstDamagedFrameNotWhereDecodingEnded()
    {
        // Flipped bytes in one frame used to be reported "near sample 768000" (the end of the stream) by Test-Recording
        // and at the next frame by a read: libFLAC resyncs and decodes on, so the place must be taken at the first error.
        using var dir = new TempDirectory();
        using (var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true))
            await archive.ImportSamplesAsync(Noise(48_000 * 16, 2, 9), 48_000);
        using var reopened = await AudioArchive.MountAsync(dir.Combine("a"), "", create: false);
        var index = await ZarrArray.OpenAsync(reopened.Store, "1/frames0");
        var pairs = await index.ReadAsync<long>([0, 0], index.Shape);
        var k = Enumerable.Range(0, pairs.Length / 2).First(i => pairs[2 * i + 1] > 160_000) - 1;
        var (offset, first, next) = (pairs[2 * k], pairs[2 * k + 1], pairs[2 * k + 3]);
        var shard = dir.Combine("a", "1", "flac0", "c", "0");
        var bytes = File.ReadAllBytes(shard);
        for (var b = 40; b < 60; b++) bytes[offset + b] ^= 0x5a;
        File.WriteAllBytes(shard, bytes);

        var recording = await reopened.GetRecordingAsync(1);
        var report = await recording.VerifyAsync();
        Assert.False(report.IsValid);
        var said = $"at samples {first:N0} to {next:N0}";
        Assert.Contains(report.Problems, p => p.Contains(said));
        var read = await Assert.ThrowsAsync<CorruptRecordingException>(() => recording.ReadAsync(first - 10_000, 30_000));
        Assert.Contains(said, read.Message);
        // Samples before the damage still read.
        Assert.Equal(10_000, (await recording.ReadAsync(first - 10_000, 10_000)).SampleCount);
    }
}
