using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZarrAudio.Native;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// One libFLAC stream encoder. Frames go to the sink as libFLAC writes them, so the frame index is
/// libFLAC's own output, not a scan. The stream header is not kept: <see cref="Finish"/> returns the final
/// STREAMINFO (with MD5 and sample count) that libFLAC reports at the end.
/// </summary>
public sealed unsafe class FlacEncoder : IDisposable
{
    public const int MaxChannels = 8;
    public const int MaxSampleRate = 1_048_575;

    private readonly IntPtr _encoder;
    private readonly IFrameSink _sink;
    private GCHandle _self;
    private long _samplesWritten;
    private StreamInfo? _finalInfo;
    private Exception? _sinkError;
    private bool _finished;
    // Held around every native call after construction: Dispose waits for a Write on another thread to
    // return instead of deleting the encoder under it (a crash, not an exception).
    private readonly object _native = new();

    /// <param name="computeMd5">False when the caller takes the MD5 of the samples itself (a run of a longer stream).</param>
    public FlacEncoder(int channels, int bitsPerSample, int sampleRate, int compressionLevel, long totalSamplesEstimate, IFrameSink sink, bool computeMd5 = true)
    {
        if (channels is < 1 or > MaxChannels) throw new ArgumentOutOfRangeException(nameof(channels), channels, "FLAC streams hold 1 to 8 channels");
        if (bitsPerSample is < 4 or > 32) throw new ArgumentOutOfRangeException(nameof(bitsPerSample), bitsPerSample, "FLAC holds 4 to 32 bits per sample");
        if (sampleRate is < 1 or > MaxSampleRate) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "FLAC sample rates are 1 to 1,048,575 Hz");
        if (compressionLevel is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(compressionLevel), compressionLevel, "FLAC compression levels are 0 to 8");
        Channels = channels;
        BitsPerSample = bitsPerSample;
        _sink = sink;
        _encoder = LibFlac.EncoderNew();
        if (_encoder == IntPtr.Zero) throw new CodecException("libFLAC could not allocate an encoder");
        _self = GCHandle.Alloc(this);
        var ok = LibFlac.EncoderSetChannels(_encoder, (uint)channels) != 0
            && LibFlac.EncoderSetBitsPerSample(_encoder, (uint)bitsPerSample) != 0
            && LibFlac.EncoderSetSampleRate(_encoder, (uint)sampleRate) != 0
            && LibFlac.EncoderSetCompressionLevel(_encoder, (uint)compressionLevel) != 0
            // Not the streamable subset: it forbids rates above 655,350 Hz and some block sizes we allow.
            && LibFlac.EncoderSetStreamableSubset(_encoder, 0) != 0
            && LibFlac.EncoderSetTotalSamplesEstimate(_encoder, (ulong)Math.Max(0, totalSamplesEstimate)) != 0
            && LibFlac.EncoderSetDoMd5(_encoder, computeMd5 ? 1 : 0) != 0;
        if (!ok) { Dispose(); throw new CodecException("libFLAC refused the encoder settings"); }
        var status = LibFlac.EncoderInitStream(_encoder, &OnWrite, IntPtr.Zero, IntPtr.Zero, &OnMetadata, GCHandle.ToIntPtr(_self));
        if (status != 0)
        {
            var state = LibFlac.EncoderState(_encoder);
            Dispose();
            throw new CodecException($"libFLAC could not start an encoder (init status {status}, state {state})");
        }
        Blocksize = (int)LibFlac.EncoderGetBlocksize(_encoder);
    }

    public int Channels { get; }
    public int BitsPerSample { get; }
    public int Blocksize { get; }
    public long SamplesWritten => _samplesWritten;

    /// <summary>Encodes interleaved samples (frames × channels), each within the declared bit depth.</summary>
    public void Write(ReadOnlySpan<int> interleaved)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (interleaved.Length % Channels != 0) throw new ArgumentException("Interleaved data must hold whole frames", nameof(interleaved));
        var frames = interleaved.Length / Channels;
        if (frames == 0) return;
        lock (_native)
        fixed (int* p = interleaved)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            if (LibFlac.EncoderProcessInterleaved(_encoder, p, (uint)frames) == 0)
                throw _sinkError is not null
                    ? new CodecException("Storing FLAC frames failed", _sinkError)
                    : new CodecException($"libFLAC failed to encode ({LibFlac.EncoderState(_encoder)})");
        }
    }

    /// <summary>Flushes the last frame and returns the final STREAMINFO.</summary>
    public StreamInfo Finish()
    {
        lock (_native)
        if (!_finished)
        {
            _finished = true;
            var ok = LibFlac.EncoderFinish(_encoder) != 0;
            if (_sinkError is not null) throw new CodecException("Storing FLAC frames failed", _sinkError);
            if (!ok) throw new CodecException($"libFLAC failed to finish the stream ({LibFlac.EncoderState(_encoder)})");
        }
        return _finalInfo ?? throw new CodecException("libFLAC did not report the final STREAMINFO");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnWrite(IntPtr encoder, byte* buffer, nuint bytes, uint samples, uint currentFrame, IntPtr clientData)
    {
        var self = (FlacEncoder)GCHandle.FromIntPtr(clientData).Target!;
        if (samples == 0) return 0; // the stream header: rebuilt from the final STREAMINFO instead
        try
        {
            self._sink.OnFrame(new ReadOnlySpan<byte>(buffer, (int)bytes), self._samplesWritten, (int)samples);
            self._samplesWritten += samples;
            return 0;
        }
        catch (Exception e)
        {
            self._sinkError = e;
            return 1; // FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMetadata(IntPtr encoder, IntPtr metadata, IntPtr clientData)
    {
        var self = (FlacEncoder)GCHandle.FromIntPtr(clientData).Target!;
        var m = (LibFlac.StreamInfoMetadata*)metadata;
        if (m->Type != 0) return;
        self._finalInfo = new StreamInfo((int)m->MinBlocksize, (int)m->MaxBlocksize, (int)m->MinFramesize, (int)m->MaxFramesize,
            (int)m->SampleRate, (int)m->Channels, (int)m->BitsPerSample, (long)m->TotalSamples, new ReadOnlySpan<byte>(m->Md5, 16).ToArray());
    }

    private bool _disposed;

    public void Dispose()
    {
        lock (_native)
        {
            if (_disposed) return;
            _disposed = true;
            if (_encoder != IntPtr.Zero)
            {
                if (!_finished) { _finished = true; LibFlac.EncoderFinish(_encoder); }
                LibFlac.EncoderDelete(_encoder);
            }
            if (_self.IsAllocated) _self.Free();
        }
    }
}
