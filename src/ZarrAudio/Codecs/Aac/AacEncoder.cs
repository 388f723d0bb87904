using System.Runtime.InteropServices;
using ZarrAudio.Native;

namespace ZarrAudio.Codecs.Aac;

/// <summary>
/// One fdk-aac AAC-LC encoder of one or two channels (a mono or a stereo element: channels on equal terms), raw access
/// units out. Each access unit goes to the sink as the encoder emits it, numbered in the decoder's output timeline
/// (access unit j decodes to samples [j·1024, (j+1)·1024)), so the frame index is the encoder's own output.
/// </summary>
internal sealed unsafe class AacEncoder : IDisposable
{
    private IntPtr _handle;
    private readonly IFrameSink _sink;
    private readonly byte[] _output;
    private long _units;
    private readonly object _native = new();

    public AacEncoder(int channels, int carrierRate, int bitrate, int bandwidth, IFrameSink sink)
    {
        if (channels is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(channels), channels, "an AAC stream here holds 1 or 2 channels");
        Channels = channels;
        _sink = sink;
        IntPtr handle;
        if (LibFdkAac.EncOpen(&handle, 0, (uint)channels) != LibFdkAac.AacencOk) throw new CodecException("fdk-aac could not open an encoder");
        _handle = handle;
        void Set(int param, int value, string what)
        {
            var error = LibFdkAac.EncSetParam(_handle, param, (uint)value);
            if (error != LibFdkAac.AacencOk) { Dispose(); throw new CodecException($"fdk-aac refused {what} {value} (error 0x{error:X})"); }
        }
        Set(LibFdkAac.AacencAot, 2, "audio object type (AAC-LC)");
        Set(LibFdkAac.AacencSampleRate, carrierRate, "sample rate");
        Set(LibFdkAac.AacencChannelMode, channels, "channel mode");
        Set(LibFdkAac.AacencChannelOrder, 1, "channel order");
        Set(LibFdkAac.AacencBitrateMode, 0, "bitrate mode (constant)");
        Set(LibFdkAac.AacencBitrate, bitrate, "bitrate");
        Set(LibFdkAac.AacencTransmux, LibFdkAac.TransportRaw, "transport (raw access units)");
        Set(LibFdkAac.AacencAfterburner, 1, "afterburner");
        if (bandwidth > 0) Set(LibFdkAac.AacencBandwidth, bandwidth, "bandwidth");
        var init = LibFdkAac.EncEncode(_handle, null, null, null, null);
        if (init != LibFdkAac.AacencOk)
        {
            Dispose();
            throw new CodecException($"fdk-aac refused the settings ({channels} channels, {carrierRate} Hz, {bitrate} bit/s; error 0x{init:X})");
        }
        LibFdkAac.InfoStruct info;
        if (LibFdkAac.EncInfo(_handle, &info) != LibFdkAac.AacencOk) { Dispose(); throw new CodecException("fdk-aac gave no encoder information"); }
        FrameLength = (int)info.FrameLength;
        EncoderDelay = (int)info.NDelay;
        AudioSpecificConfig = new ReadOnlySpan<byte>(info.ConfBuf, (int)info.ConfSize).ToArray();
        _output = new byte[Math.Max(8192, (int)info.MaxOutBufBytes)];
    }

    public int Channels { get; }
    /// <summary>Samples per channel in one access unit (1024 for AAC-LC).</summary>
    public int FrameLength { get; }
    /// <summary>The encoder's delay in samples, from its own information (nDelay).</summary>
    public int EncoderDelay { get; }
    public byte[] AudioSpecificConfig { get; }
    public long SamplesWritten { get; private set; }

    /// <summary>Encodes interleaved 16-bit samples; every access unit finished goes to the sink.</summary>
    public void Write(ReadOnlySpan<short> interleaved)
    {
        lock (_native)
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            fixed (short* input = interleaved)
            {
                var done = 0;
                while (done < interleaved.Length)
                {
                    var consumed = Encode(input + done, interleaved.Length - done, out var eof);
                    if (consumed == 0 && !eof) throw new CodecException("fdk-aac consumed no input");
                    done += consumed;
                }
            }
            SamplesWritten += interleaved.Length / Channels;
        }
    }

    /// <summary>
    /// Flushes the encoder: the access units that still hold the last samples follow. fdk-aac's flush covers its own
    /// delay but not the decoder's one frame of lag, so one frame of silence goes in first; without it the last
    /// samples of every recording (up to a frame) could not be decoded.
    /// </summary>
    public void Finish()
    {
        lock (_native)
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            var silence = new short[FrameLength * Channels];
            fixed (short* zeros = silence)
                for (var done = 0; done < silence.Length;)
                {
                    var consumed = Encode(zeros + done, silence.Length - done, out _);
                    if (consumed == 0) break;
                    done += consumed;
                }
            for (var guard = 0; guard < 64; guard++)
            {
                Encode(null, -1, out var eof);
                if (eof) return;
            }
            throw new CodecException("fdk-aac did not finish flushing");
        }
    }

    private int Encode(short* input, int count, out bool eof)
    {
        var inBuffer = (void*)input;
        int inId = LibFdkAac.InAudioData, inSize = Math.Max(0, count) * 2, inElSize = 2;
        fixed (byte* output = _output)
        {
            var outBuffer = (void*)output;
            int outId = LibFdkAac.OutBitstreamData, outSize = _output.Length, outElSize = 1;
            var inDesc = new LibFdkAac.BufDesc { NumBufs = 1, Bufs = &inBuffer, BufferIdentifiers = &inId, BufSizes = &inSize, BufElSizes = &inElSize };
            var outDesc = new LibFdkAac.BufDesc { NumBufs = 1, Bufs = &outBuffer, BufferIdentifiers = &outId, BufSizes = &outSize, BufElSizes = &outElSize };
            var inArgs = new LibFdkAac.InArgs { NumInSamples = count };
            LibFdkAac.OutArgs outArgs;
            var error = LibFdkAac.EncEncode(_handle, &inDesc, &outDesc, &inArgs, &outArgs);
            eof = error == LibFdkAac.AacencEncodeEof;
            if (error != LibFdkAac.AacencOk && !eof) throw new CodecException($"fdk-aac failed to encode (error 0x{error:X})");
            if (outArgs.NumOutBytes > 0)
            {
                _sink.OnFrame(new ReadOnlySpan<byte>(output, outArgs.NumOutBytes), _units * FrameLength, FrameLength);
                _units++;
            }
            return outArgs.NumInSamples;
        }
    }

    public void Dispose()
    {
        lock (_native)
        {
            if (_handle == IntPtr.Zero) return;
            var handle = _handle;
            LibFdkAac.EncClose(&handle);
            _handle = IntPtr.Zero;
        }
    }
}
