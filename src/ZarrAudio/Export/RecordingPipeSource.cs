using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FFMpegCore.Pipes;
using ZarrAudio.Archive;
using ZarrAudio.Reading;

namespace ZarrAudio.Export;

/// <summary>
/// Feeds ffmpeg a range of a recording as raw little-endian PCM, block by block (memory stays bounded):
/// s16le for up to 16 bits, s32le above, samples left-aligned so the stored bit depth is kept exactly; float
/// recordings as f32le or f64le, as stored.
/// </summary>
internal sealed class RecordingPipeSource(Recording recording, long start, long count, int[] channels, IProgress<long>? progress) : IPipeSource
{
    private const int BlockFrames = 65_536;
    private readonly bool _wide = recording.Technical.BitsPerSample > 16;

    public string GetStreamArguments() =>
        $"-f {recording.NaturalType switch { SampleType.Float32 => "f32le", SampleType.Float64 => "f64le", _ => _wide ? "s32le" : "s16le" }} -ar {recording.SampleRate} -ac {channels.Length}";

    public async Task WriteAsync(Stream outputStream, CancellationToken cancellationToken)
    {
        switch (recording.NaturalType)
        {
            case SampleType.Float32: await WriteAsIsAsync<float>(SampleType.Float32, outputStream, cancellationToken).ConfigureAwait(false); return;
            case SampleType.Float64: await WriteAsIsAsync<double>(SampleType.Float64, outputStream, cancellationToken).ConfigureAwait(false); return;
        }
        var shift = (_wide ? 32 : 16) - recording.Technical.BitsPerSample;
        var samples = GC.AllocateArray<int>(BlockFrames * channels.Length, pinned: true);
        var bytes = new byte[samples.Length * (_wide ? 4 : 2)];
        for (long done = 0; done < count;)
        {
            var frames = (int)Math.Min(BlockFrames, count - done);
            var n = frames * channels.Length;
            await recording.ReadIntoAsync(start + done, frames, channels, SampleType.Int32, samples, cancellationToken).ConfigureAwait(false);
            if (_wide)
                for (var i = 0; i < n; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), samples[i] << shift);
            else
                for (var i = 0; i < n; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)(samples[i] << shift));
            await outputStream.WriteAsync(bytes.AsMemory(0, n * (_wide ? 4 : 2)), cancellationToken).ConfigureAwait(false);
            done += frames;
            progress?.Report(done);
        }
    }

    /// <summary>Float samples go to ffmpeg exactly as stored (little-endian, as every platform this runs on).</summary>
    private async Task WriteAsIsAsync<T>(SampleType type, Stream outputStream, CancellationToken cancellationToken) where T : unmanaged
    {
        var samples = GC.AllocateArray<T>(BlockFrames * channels.Length, pinned: true);
        for (long done = 0; done < count;)
        {
            var frames = (int)Math.Min(BlockFrames, count - done);
            await recording.ReadIntoAsync(start + done, frames, channels, type, samples, cancellationToken).ConfigureAwait(false);
            await outputStream.WriteAsync(MemoryMarshal.AsBytes(samples.AsSpan(0, frames * channels.Length)).ToArray(), cancellationToken).ConfigureAwait(false);
            done += frames;
            progress?.Report(done);
        }
    }
}
