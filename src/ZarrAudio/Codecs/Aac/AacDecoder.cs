using ZarrAudio.Native;
using ZarrAudio.Reading;

namespace ZarrAudio.Codecs.Aac;

/// <summary>
/// One fdk-aac decoder for one stream's raw access units, with the limiter off (it would make the output depend on
/// where decoding started). A read decodes from a few access units before the first one it needs, with history cleared,
/// and keeps only the samples of the range.
/// </summary>
internal sealed unsafe class AacDecoder : IDisposable
{
    private IntPtr _handle;
    private readonly short[] _pcm;
    private readonly int _channels;
    private readonly int _frameLength;

    public AacDecoder(byte[] audioSpecificConfig, int channels, int frameLength)
    {
        _channels = channels;
        _frameLength = frameLength;
        _pcm = new short[Math.Max(8, channels) * frameLength * 2];
        _handle = LibFdkAac.DecOpen(LibFdkAac.TransportRaw, 1);
        if (_handle == IntPtr.Zero) throw new CodecException("fdk-aac could not open a decoder");
        fixed (byte* conf = audioSpecificConfig)
        {
            var pointer = conf;
            var length = (uint)audioSpecificConfig.Length;
            if (LibFdkAac.DecConfigRaw(_handle, &pointer, &length) != LibFdkAac.AacDecOk)
            {
                Dispose();
                throw new CorruptRecordingException("The stored AAC configuration (AudioSpecificConfig) is not valid.");
            }
        }
        LibFdkAac.DecSetParam(_handle, LibFdkAac.AacPcmLimiterEnable, 0);
    }

    /// <summary>
    /// Decodes access units <paramref name="firstUnit"/>… (their bytes back to back in <paramref name="units"/>, cut at
    /// <paramref name="unitEnds"/>), and writes the decoded samples [from, from+count) of the stream's timeline to the
    /// targets (their frame 0 is sample <paramref name="from"/>). Every unit is decoded; what precedes the range is pre-roll.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> units, ReadOnlySpan<int> unitEnds, long firstUnit, long from, long count, SampleTarget[] targets, Func<long, string> where)
    {
        var start = 0;
        for (var u = 0; u < unitEnds.Length; u++)
        {
            var unit = units[start..unitEnds[u]];
            start = unitEnds[u];
            var produced = DecodeUnit(unit, u == 0, () => where(firstUnit + u));
            var unitStart = (firstUnit + u) * _frameLength;
            var lo = Math.Max(unitStart, from);
            var hi = Math.Min(unitStart + produced, from + count);
            if (hi <= lo) continue;
            fixed (short* pcm = _pcm)
                foreach (var target in targets)
                    target.WriteInterleaved(pcm + (lo - unitStart) * _channels, _channels, lo - from, (int)(hi - lo));
        }
    }

    /// <summary>Decodes one access unit into the internal buffer; returns the samples per channel it produced.</summary>
    public int DecodeUnit(ReadOnlySpan<byte> unit, bool afterJump, Func<string> where)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (afterJump) LibFdkAac.DecSetParam(_handle, LibFdkAac.AacTpdecClearBuffer, 1);
        fixed (byte* bytes = unit)
        {
            var pointer = bytes;
            var size = (uint)unit.Length;
            var valid = size;
            if (LibFdkAac.DecFill(_handle, &pointer, &size, &valid) != LibFdkAac.AacDecOk || valid != 0)
                throw new CorruptRecordingException($"The AAC decoder did not take {where()} whole.");
        }
        int error;
        fixed (short* pcm = _pcm)
            error = LibFdkAac.DecDecodeFrame(_handle, pcm, _pcm.Length, afterJump ? (uint)(LibFdkAac.AacdecIntr | LibFdkAac.AacdecClrhist) : 0);
        if (error != LibFdkAac.AacDecOk) throw new CorruptRecordingException($"{where()} does not decode (fdk-aac error 0x{error:X}).");
        return _frameLength;
    }

    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        LibFdkAac.DecClose(_handle);
        _handle = IntPtr.Zero;
    }
}
