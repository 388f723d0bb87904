using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using FFMpegCore;
using FFMpegCore.Pipes;
using ZarrAudio.Codecs;

namespace ZarrAudio.Import;

/// <summary>
/// Streams a source's audio as interleaved blocks through ffmpeg's stdout (no temp files), in the representation the
/// codec stores: integer sources as s16le (up to 16 bits) or s32le shifted back to their bit depth (lossless); float
/// sources as f32le or f64le kept exactly, or quantised to 24-bit integers for a codec that stores integers. Reading the pipe and the caller's work on a block (encoding) run on separate
/// threads with a few blocks between them, so ffmpeg never waits for the encoder; memory stays bounded.
/// </summary>
internal static class FfmpegDecoder
{
    public const int BlockFrames = 65_536;
    private const int BlocksInFlight = 3;
    private const int MaxRuns = 3;

    public static async Task DecodeAsync(SourceProbe probe, StoredFormat stored, FloatConversion floats, Func<SampleBuffer, Task> onBlock, CancellationToken cancellationToken)
    {
        var narrow = !probe.IsFloat && probe.BitsPerSample <= 16;
        var format = stored.Encoding == SampleEncoding.Float64 ? "f64le" : probe.IsFloat ? "f32le" : narrow ? "s16le" : "s32le";
        var codec = "pcm_" + format;
        using var stop = new FfmpegCancellation(cancellationToken);
        var blocks = Channel.CreateBounded<PooledBlock>(new BoundedChannelOptions(BlocksInFlight) { SingleReader = true, SingleWriter = true });
        var consumer = Task.Run(async () =>
        {
            try
            {
                await foreach (var block in blocks.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    await onBlock(block.Samples).ConfigureAwait(false);
                    block.Return();
                }
            }
            catch
            {
                stop.Cancel(); // stops the pump and ffmpeg, so the caller's error surfaces at once
                throw;
            }
        }, CancellationToken.None);

        // FFMpegCore cancels the sink's token as soon as ffmpeg exits, while the last blocks may still sit unread
        // in the pipe; the pump therefore reads to the end of the stream under our own token only.
        var reachedEnd = false;
        var watch = new FfmpegFormatWatch();
        try
        {
            await FfmpegPipeRuns.RunUntilReadAsync(async reader =>
            {
                watch = new FfmpegFormatWatch();
                await FFMpegArguments.FromFileInput(probe.Path, true, i => i.WithCustomArgument(FfmpegFormatWatch.LogLevel))
                    .OutputToPipe(new StreamPipeSink((stream, _) => reader(stream)), o => o.WithCustomArgument($"-map 0:a:{probe.AudioOrdinal} -vn -sn -dn -c:a {codec}").ForceFormat(format))
                    // A format change midway would be resampled or remixed by ffmpeg: stop at once, and say where.
                    .NotifyOnStandardError(line => { if (watch.Observe(line)) stop.Cancel(); })
                    .CancellableThrough(stop.Token)
                    .ProcessAsynchronously(throwOnError: true)
                    .ConfigureAwait(false);
            }, async stream => reachedEnd = await PumpAsync(stream, probe, stored, narrow, blocks.Writer, floats, stop.Token).ConfigureAwait(false), MaxRuns).ConfigureAwait(false);
            blocks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            blocks.Writer.TryComplete();
            stop.Cancel();
            // The consumer must be out of the encoder before this returns: the caller disposes the encoder next,
            // and libFLAC used after that is a crash, not an exception.
            var consumerError = await TaskFailure.OfAsync(consumer).ConfigureAwait(false);
            // The encoder's own failure explains a stopped pipe better than ffmpeg's view of it.
            if (consumerError is not null and not OperationCanceledException) ExceptionDispatchInfo.Throw(consumerError);
            if (watch.Change is not null && !cancellationToken.IsCancellationRequested) throw await watch.LocateAsync(probe, cancellationToken).ConfigureAwait(false);
            if (e is OperationCanceledException || cancellationToken.IsCancellationRequested) throw;
            if (e is ZarrAudioException) throw;
            if (e.InnerException is ZarrAudioException inner) throw inner;
            throw new UnsupportedSourceException($"ffmpeg cannot decode '{probe.Path}': {watch.LastProblem ?? e.Message}", e);
        }
        await consumer.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (watch.Change is not null) throw await watch.LocateAsync(probe, cancellationToken).ConfigureAwait(false);
        if (!reachedEnd) throw new CodecException($"The decoded audio of '{probe.Path}' ended before ffmpeg's output did; nothing was stored.");
    }

    /// <returns>True when the stream was read to its end.</returns>
    private static async Task<bool> PumpAsync(Stream stream, SourceProbe probe, StoredFormat stored, bool narrow, ChannelWriter<PooledBlock> blocks,
        FloatConversion floats, CancellationToken ct)
    {
        var width = stored.Encoding == SampleEncoding.Float64 ? 8 : narrow ? 2 : 4;
        var frameBytes = probe.Channels * width;
        var bytes = new byte[BlockFrames * frameBytes];
        var shift = (narrow ? 16 : 32) - probe.BitsPerSample;
        while (true)
        {
            var filled = 0;
            while (filled < bytes.Length)
            {
                var n = await stream.ReadAsync(bytes.AsMemory(filled), ct).ConfigureAwait(false);
                if (n == 0) break;
                filled += n;
            }
            var frames = filled / frameBytes;
            if (frames == 0) return true;
            var count = frames * probe.Channels;
            var raw = bytes.AsSpan(0, count * width);
            PooledBlock block;
            switch (stored.Encoding)
            {
                case SampleEncoding.Float32: block = PooledBlock.Copy(MemoryMarshal.Cast<byte, float>(raw), SampleBuffer.Of); break;
                case SampleEncoding.Float64: block = PooledBlock.Copy(MemoryMarshal.Cast<byte, double>(raw), SampleBuffer.Of); break;
                default:
                    var samples = ArrayPool<int>.Shared.Rent(count);
                    if (probe.IsFloat) floats.Quantise(MemoryMarshal.Cast<byte, float>(raw), samples);
                    else if (narrow) ToInt32(MemoryMarshal.Cast<byte, short>(raw), samples, shift, probe.Path);
                    else ToInt32(MemoryMarshal.Cast<byte, int>(raw), samples, shift, probe.Path);
                    block = new PooledBlock(SampleBuffer.Of(samples.AsMemory(0, count)), () => ArrayPool<int>.Shared.Return(samples));
                    break;
            }
            await blocks.WriteAsync(block, ct).ConfigureAwait(false);
            if (filled < bytes.Length) return true;
        }
    }

    // ffmpeg widens narrower samples by shifting; bits below the declared depth must be zero, or data would be
    // lost. (s16le/s32le are little-endian, as is every platform this runs on, so the bytes are read as they are.)
    private static void ToInt32<T>(ReadOnlySpan<T> source, Span<int> target, int shift, string path) where T : unmanaged, IBinaryInteger<T>
    {
        var lowBits = 0;
        var mask = shift == 0 ? 0 : (1 << shift) - 1;
        for (var i = 0; i < source.Length; i++)
        {
            var v = int.CreateTruncating(source[i]);
            lowBits |= v & mask;
            target[i] = v >> shift;
        }
        if (lowBits != 0) throw TooPrecise(path, Unsafe.SizeOf<T>() * 8 - shift);
    }

    private static UnsupportedSourceException TooPrecise(string path, int bits) =>
        new($"'{path}' has more precision than its declared {bits} bits; refusing to truncate it.");

    /// <summary>A block whose array came from a pool, and how to give it back once the encoder is done with it.</summary>
    private readonly record struct PooledBlock(SampleBuffer Samples, Action Return)
    {
        public static PooledBlock Copy<T>(ReadOnlySpan<T> values, Func<ReadOnlyMemory<T>, SampleBuffer> wrap)
        {
            var array = ArrayPool<T>.Shared.Rent(values.Length);
            values.CopyTo(array);
            return new PooledBlock(wrap(array.AsMemory(0, values.Length)), () => ArrayPool<T>.Shared.Return(array));
        }
    }
}
