using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ZarrAudio.Codecs;

namespace ZarrAudio.Import;

/// <summary>
/// Reads the samples of a plain PCM or IEEE-float RIFF/WAVE file directly (what field recorders write), in large
/// blocks, without an ffmpeg process and a pipe: the same samples ffmpeg decodes (the tests compare them), at a
/// fraction of the CPU. Anything else (RF64, compressed WAV, a header it does not expect) returns null from
/// <see cref="TryOpen"/>, and the import goes through ffmpeg as before.
/// </summary>
internal sealed class WavReader
{
    private const int BlockFrames = 65_536;

    private readonly string _path;
    private readonly long _dataOffset, _dataLength;
    private readonly int _channels, _containerBytes, _validBits;
    private readonly bool _isFloat;

    private WavReader(string path, long dataOffset, long dataLength, int channels, int containerBytes, int validBits, bool isFloat) =>
        (_path, _dataOffset, _dataLength, _channels, _containerBytes, _validBits, _isFloat) = (path, dataOffset, dataLength, channels, containerBytes, validBits, isFloat);

    /// <summary>A reader when the file is a WAVE of the probed format that this class reads exactly; else null.</summary>
    public static WavReader? TryOpen(SourceProbe probe)
    {
        if (probe.Container != "wav" || probe.AudioOrdinal != 0 || WavHeader.Read(probe.Path) is not { } f) return null;
        var isFloat = f.Tag == WavHeader.FormatFloat;
        if (f.Tag is not (WavHeader.FormatPcm or WavHeader.FormatFloat) || f.ContainerBits % 8 != 0 || f.ContainerBits is < 8 or > 64
            || isFloat && f.ContainerBits is not (32 or 64) || !isFloat && f.ContainerBits > 32 || f.ValidBits > f.ContainerBits || f.ValidBits < 1)
            return null;
        // The probe must describe the same stream, or we leave the file to ffmpeg.
        if (f.Channels != probe.Channels || f.Rate != probe.SampleRate || isFloat != probe.IsFloat
            || !isFloat && (f.ContainerBits == 8 ? 8 : f.ValidBits) != probe.BitsPerSample && f.ContainerBits != 32)
            return null;
        return new WavReader(probe.Path, f.DataOffset, f.DataLength, f.Channels, f.ContainerBits / 8, isFloat ? f.ContainerBits : probe.BitsPerSample, isFloat);
    }

    /// <summary>Hands the samples to <paramref name="onBlock"/> in blocks, in the representation the codec stores.</summary>
    public async Task ReadAsync(StoredFormat stored, FloatConversion floats, Func<SampleBuffer, Task> onBlock, CancellationToken ct)
    {
        var frameBytes = _channels * _containerBytes;
        var bytes = ArrayPool<byte>.Shared.Rent(BlockFrames * frameBytes); // pooled: a card of files would each put one on the large object heap
        try
        {
            await ReadBlocksAsync(bytes, frameBytes, stored, floats, onBlock, ct).ConfigureAwait(false);
        }
        finally { ArrayPool<byte>.Shared.Return(bytes); }
    }

    private async Task ReadBlocksAsync(byte[] bytes, int frameBytes, StoredFormat stored, FloatConversion floats, Func<SampleBuffer, Task> onBlock, CancellationToken ct)
    {
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Seek(_dataOffset, SeekOrigin.Begin);
        var left = _dataLength - _dataLength % frameBytes;
        while (left > 0)
        {
            var want = (int)Math.Min(BlockFrames * frameBytes, left);
            var got = 0;
            while (got < want)
            {
                var n = await file.ReadAsync(bytes.AsMemory(got, want - got), ct).ConfigureAwait(false);
                if (n == 0) break;
                got += n;
            }
            got -= got % frameBytes;
            if (got == 0) break;
            left -= got;
            await onBlock(Convert(bytes.AsSpan(0, got), stored, floats, out var owner)).ConfigureAwait(false);
            owner();
        }
    }

    /// <summary>One block converted; <paramref name="release"/> gives its array back to the pool after the encoder is done.</summary>
    private SampleBuffer Convert(ReadOnlySpan<byte> raw, StoredFormat stored, FloatConversion floats, out Action release)
    {
        var count = raw.Length / _containerBytes;
        if (_isFloat && stored.Encoding == SampleEncoding.Float32)
        {
            var f = ArrayPool<float>.Shared.Rent(count);
            MemoryMarshal.Cast<byte, float>(raw).CopyTo(f);
            release = () => ArrayPool<float>.Shared.Return(f);
            return SampleBuffer.Of(f.AsMemory(0, count));
        }
        if (_isFloat && stored.Encoding == SampleEncoding.Float64)
        {
            var d = ArrayPool<double>.Shared.Rent(count);
            if (_containerBytes == 8) MemoryMarshal.Cast<byte, double>(raw).CopyTo(d);
            else { var s = MemoryMarshal.Cast<byte, float>(raw); for (var i = 0; i < count; i++) d[i] = s[i]; }
            release = () => ArrayPool<double>.Shared.Return(d);
            return SampleBuffer.Of(d.AsMemory(0, count));
        }
        var ints = ArrayPool<int>.Shared.Rent(count);
        release = () => ArrayPool<int>.Shared.Return(ints);
        var target = ints.AsSpan(0, count);
        if (_isFloat)
        {
            // A codec that stores integers (FLAC): quantised to 24 bits and counted, as through ffmpeg's f32le.
            if (_containerBytes == 4) floats.Quantise(MemoryMarshal.Cast<byte, float>(raw), target);
            else
            {
                var asFloat = new float[count];
                var s = MemoryMarshal.Cast<byte, double>(raw);
                for (var i = 0; i < count; i++) asFloat[i] = (float)s[i];
                floats.Quantise(asFloat, target);
            }
            return SampleBuffer.Of(ints.AsMemory(0, count));
        }
        switch (_containerBytes)
        {
            case 1: for (var i = 0; i < count; i++) target[i] = raw[i] - 128; break;
            case 2: var shorts = MemoryMarshal.Cast<byte, short>(raw); for (var i = 0; i < count; i++) target[i] = shorts[i]; break;
            case 3: for (int i = 0, o = 0; i < count; i++, o += 3) target[i] = (raw[o] | raw[o + 1] << 8 | (sbyte)raw[o + 2] << 16); break;
            default: MemoryMarshal.Cast<byte, int>(raw).CopyTo(target); break;
        }
        // Samples narrower than their container (24 valid bits in 32, or 12 in 16) are left-aligned: bring them to their
        // depth, and refuse precision beyond it, as the ffmpeg path does.
        var shift = _containerBytes * 8 - _validBits;
        if (_containerBytes > 1 && shift > 0)
        {
            var low = 0;
            var mask = (1 << shift) - 1;
            for (var i = 0; i < count; i++) { low |= target[i] & mask; target[i] >>= shift; }
            if (low != 0) throw new UnsupportedSourceException($"'{_path}' has more precision than its declared {_validBits} bits; refusing to truncate it.");
        }
        return SampleBuffer.Of(ints.AsMemory(0, count));
    }
}
