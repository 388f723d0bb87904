using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FFMpegCore;
using FFMpegCore.Pipes;

namespace ZarrAudio.Import;

/// <summary>
/// Streams a source's audio as interleaved int32 blocks through ffmpeg's stdout (no temp files): integer
/// sources as s32le shifted back to their bit depth (lossless), float sources as f32le quantised to 24-bit.
/// </summary>
internal static class PcmDecoder
{
    public const int BlockFrames = 65_536;

    public static async Task DecodeAsync(SourceProbe probe, Func<ReadOnlyMemory<int>, Task> onBlock, CancellationToken cancellationToken)
    {
        var format = probe.IsFloat ? "f32le" : "s32le";
        var codec = probe.IsFloat ? "pcm_f32le" : "pcm_s32le";
        var sink = new StreamPipeSink(async (stream, ct) => await PumpAsync(stream, probe, onBlock, ct).ConfigureAwait(false));
        string? lastError = null;
        try
        {
            await FFMpegArguments.FromFileInput(probe.Path)
                .OutputToPipe(sink, o => o.WithCustomArgument($"-map 0:a:{probe.AudioOrdinal} -vn -sn -dn -c:a {codec}").ForceFormat(format))
                .NotifyOnStandardError(line => lastError = line)
                .CancellableThrough(cancellationToken)
                .ProcessAsynchronously(throwOnError: true)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not ZarrAudioException && !cancellationToken.IsCancellationRequested)
        {
            if (e.InnerException is ZarrAudioException inner) throw inner;
            throw new UnsupportedSourceException($"ffmpeg cannot decode '{probe.Path}': {lastError ?? e.Message}", e);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task PumpAsync(Stream stream, SourceProbe probe, Func<ReadOnlyMemory<int>, Task> onBlock, CancellationToken ct)
    {
        var frameBytes = probe.Channels * 4;
        var bytes = new byte[BlockFrames * frameBytes];
        var samples = new int[BlockFrames * probe.Channels];
        var shift = 32 - probe.BitsPerSample;
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
            if (frames == 0) return;
            var count = frames * probe.Channels;
            if (probe.IsFloat) QuantiseFloat(MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, count * 4)), samples);
            else ShiftInt(MemoryMarshal.Cast<byte, int>(bytes.AsSpan(0, count * 4)), samples, shift, probe.Path);
            await onBlock(samples.AsMemory(0, count)).ConfigureAwait(false);
            if (filled < bytes.Length) return;
        }
    }

    private static void ShiftInt(ReadOnlySpan<int> source, Span<int> target, int shift, string path)
    {
        var lowBits = 0;
        var mask = shift == 0 ? 0 : (1 << shift) - 1;
        for (var i = 0; i < source.Length; i++)
        {
            var v = BitConverter.IsLittleEndian ? source[i] : BinaryPrimitives.ReverseEndianness(source[i]);
            lowBits |= v & mask;
            target[i] = v >> shift;
        }
        // ffmpeg widens narrower samples by shifting; bits below the declared depth must be zero, or data would be lost.
        if (lowBits != 0)
            throw new UnsupportedSourceException($"'{path}' has more precision than its declared {32 - shift} bits; refusing to truncate it.");
    }

    /// <summary>Float → 24-bit integer with rounding and clipping.</summary>
    public static void QuantiseFloat(ReadOnlySpan<float> source, Span<int> target)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var v = Math.Round(source[i] * 8388608.0);
            target[i] = (int)Math.Clamp(double.IsNaN(v) ? 0 : v, -8388608, 8388607);
        }
    }
}
