using ZarrAudio.Archive;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Reading;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// Disposing a libFLAC encoder or decoder while another thread is inside it must wait for that call, not free
/// the native object under it: that is a crash of the whole process, not an exception. (A cancelled import
/// once disposed its encoder while the encoder thread was still writing; the test host died, 1 CI run in 6.)
/// </summary>
public class NativeLifetimeTests
{
    [Fact]
    public async Task DisposingAnEncoderDuringAWriteWaitsForTheWrite()
    {
        var sink = new HoldingSink();
        var encoder = new FlacEncoder(2, 16, 48000, 5, 0, sink);
        var samples = Noise(48000 * 2 * 2, 1 << 14);
        // The sink holds the first frame for a while, inside libFLAC's call.
        var writer = Task.Run(() => encoder.Write(samples));
        Assert.True(sink.FirstFrame.Wait(TimeSpan.FromSeconds(30)));
        encoder.Dispose();
        Assert.True(sink.Released, "Dispose returned while libFLAC was still inside Write");
        await writer;
        Assert.Throws<ObjectDisposedException>(() => encoder.Write(samples));
    }

    [Fact]
    public async Task DisposingADecoderDuringADecodeWaitsForTheDecode()
    {
        var sink = new FrameCollector();
        var samples = Noise(48000 * 2, 1 << 14);
        StreamInfo info;
        using (var encoder = new FlacEncoder(2, 16, 48000, 5, 0, sink))
        {
            encoder.Write(samples);
            info = encoder.Finish();
        }
        var frames = sink.Bytes.ToArray();
        var decoder = new FlacDecoder(info.ToHeader());
        var output = new short[samples.Length];
        var target = new HoldingTarget(output);
        var reader = Task.Run(() => decoder.DecodeRange(frames, 0, 0, samples.Length / 2, target));
        Assert.True(target.FirstFrame.Wait(TimeSpan.FromSeconds(30)));
        decoder.Dispose();
        Assert.True(target.Released, "Dispose returned while libFLAC was still inside DecodeRange");
        await reader;
        Assert.Equal(samples, output.Select(s => (int)s).ToArray());
        Assert.Throws<ObjectDisposedException>(() => decoder.DecodeRange(frames, 0, 0, 1, target));
    }

    [Fact]
    public async Task AReadThatOutlivesItsReadersDisposeDoesNotLeakItsDecoder()
    {
        // A recording removed while a read is in flight: the read finishes, and its decoder is freed, not pooled.
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var samples = new short[48000, 2];
        var random = new Random(3);
        for (var i = 0; i < 48000; i++) { samples[i, 0] = (short)random.Next(-9000, 9000); samples[i, 1] = (short)random.Next(-9000, 9000); }
        var recording = await archive.ImportSamplesAsync(samples, 48000);
        var reader = await FlacStreamReader.OpenAsync(archive.Store, ArchiveLayout.RecordingPath("", recording.Id), 0, CancellationToken.None);
        var output = new short[48000 * 2];
        var target = new HoldingTarget(output);
        var read = Task.Run(async () => await reader.ReadAsync(0, 48000, target, CancellationToken.None));
        Assert.True(target.FirstFrame.Wait(TimeSpan.FromSeconds(30)));
        reader.Dispose();
        await read;
        Assert.Equal(0, reader.PooledDecoders);
        for (var i = 0; i < 48000; i++) Assert.Equal(samples[i, 1], output[2 * i + 1]);
    }

    private static int[] Noise(int length, int amplitude)
    {
        var random = new Random(7);
        return Enumerable.Range(0, length).Select(_ => random.Next(-amplitude, amplitude)).ToArray();
    }

    private sealed class HoldingSink : ZarrAudio.Codecs.IFrameSink
    {
        public ManualResetEventSlim FirstFrame { get; } = new();
        public bool Released => Volatile.Read(ref _released) == 1;
        private int _released;

        public void OnFrame(ReadOnlySpan<byte> frame, long firstSample, int sampleCount)
        {
            if (FirstFrame.IsSet) return;
            FirstFrame.Set();
            Thread.Sleep(500);
            Volatile.Write(ref _released, 1);
        }
    }

    private sealed class FrameCollector : ZarrAudio.Codecs.IFrameSink
    {
        public List<byte> Bytes { get; } = [];
        public void OnFrame(ReadOnlySpan<byte> frame, long firstSample, int sampleCount) => Bytes.AddRange(frame.ToArray());
    }

    /// <summary>An Int16 target that holds up the first decoded frame, inside libFLAC's write callback.</summary>
    private sealed unsafe class HoldingTarget(short[] output) : SampleTarget(output.Length, 2, [0, 1], 0)
    {
        public ManualResetEventSlim FirstFrame { get; } = new();
        public bool Released => Volatile.Read(ref _released) == 1;
        private int _released;

        protected override void WriteColumn<T>(T* source, int stride, long at, int count)
        {
            if (!FirstFrame.IsSet)
            {
                FirstFrame.Set();
                Thread.Sleep(500);
                Volatile.Write(ref _released, 1);
            }
            for (var i = 0; i < count; i++) output[at + i * 2] = short.CreateTruncating(source[i * stride]);
        }
    }
}
