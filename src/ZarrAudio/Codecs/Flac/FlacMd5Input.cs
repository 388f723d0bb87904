using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// The bytes FLAC's MD5 is taken over: every sample little-endian in (bits + 7) / 8 bytes, interleaved. One place for
/// the encoder (STREAMINFO of what it stores) and the source reader (the source's own MD5 checked); 16-bit samples,
/// the usual ones, are narrowed sixteen at a time.
/// </summary>
internal static class FlacMd5Input
{
    /// <summary>Writes <paramref name="samples"/> into <paramref name="bytes"/> (at least samples × width long); returns what was written.</summary>
    public static Span<byte> Write(ReadOnlySpan<int> samples, int width, Span<byte> bytes)
    {
        var written = bytes[..(samples.Length * width)];
        switch (width)
        {
            case 4:
                MemoryMarshal.AsBytes(samples).CopyTo(written);
                break;
            case 2:
                var shorts = MemoryMarshal.Cast<byte, short>(written);
                var i = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    ref var source = ref MemoryMarshal.GetReference(samples);
                    for (; i + 16 <= samples.Length; i += 16)
                        Vector256.Narrow(Vector256.LoadUnsafe(ref source, (nuint)i), Vector256.LoadUnsafe(ref source, (nuint)i + 8))
                            .StoreUnsafe(ref MemoryMarshal.GetReference(shorts), (nuint)i);
                }
                for (; i < samples.Length; i++) shorts[i] = (short)samples[i];
                break;
            case 3:
                // Four bytes written for each three kept: the next sample overwrites the fourth; the last is written apart.
                var o = 0;
                for (var s = 0; s < samples.Length - 1; s++, o += 3) BinaryPrimitives.WriteInt32LittleEndian(written[o..], samples[s]);
                if (samples.Length > 0)
                {
                    var last = samples[^1];
                    (written[o], written[o + 1], written[o + 2]) = ((byte)last, (byte)(last >> 8), (byte)(last >> 16));
                }
                break;
            default:
                for (int s = 0, at = 0; s < samples.Length; s++, at += width)
                    for (var b = 0; b < width; b++) written[at + b] = (byte)(samples[s] >> (8 * b));
                break;
        }
        return written;
    }
}
