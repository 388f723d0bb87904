using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZarrAudio.Native;
using ZarrAudio.Reading;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// One libFLAC stream decoder primed with a stream header (fLaC + STREAMINFO). Each call to
/// <see cref="DecodeRange"/> flushes it and feeds it just the frames that cover a range, so any range decodes
/// exactly with no pre-roll. Reused across reads; not thread-safe (pool one per thread).
/// </summary>
public sealed unsafe class FlacDecoder : IDisposable
{
    private readonly IntPtr _decoder;
    private GCHandle _self;
    private readonly byte[] _header;
    private readonly bool _checkMd5;

    // Input for the read callback: a span pinned for the duration of a decode call, or a pull function.
    private byte* _input;
    private int _inputLength;
    private int _inputPosition;
    private Func<ReadOnlyMemory<byte>>? _pull;
    private ReadOnlyMemory<byte> _pulled;
    private MemoryHandle _pulledPin;

    // Output: the wanted range, where the next decoded frame starts, and the target.
    private long _wantStart, _wantEnd, _nextFrameSample;
    private SampleTarget? _target;
    private string? _error;
    // Where the first damage was met (the first sample of the frame that failed), and where good frames resumed.
    private long? _errorAt, _resumedAt;
    private Exception? _callbackException;
    private bool _disposed;
    // Held around decoding and deletion: a Dispose racing a decode on another thread waits for it instead of
    // freeing the decoder under libFLAC (a crash, not an exception). Uncontended, it costs nanoseconds.
    private readonly object _native = new();

    public FlacDecoder(byte[] streamHeader, bool checkMd5 = false)
    {
        _header = streamHeader;
        _checkMd5 = checkMd5;
        Info = StreamInfo.FromHeader(streamHeader);
        _decoder = LibFlac.DecoderNew();
        if (_decoder == IntPtr.Zero) throw new CodecException("libFLAC could not allocate a decoder");
        _self = GCHandle.Alloc(this);
        LibFlac.DecoderSetMd5Checking(_decoder, checkMd5 ? 1 : 0);
        try { Prime(); }
        catch { Dispose(); throw; }
    }

    private bool _primed;

    /// <summary>Starts a stream and feeds it the header, so later frames decode on their own.</summary>
    private void Prime()
    {
        var status = LibFlac.DecoderInitStream(_decoder, &OnRead, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero,
            &OnWrite, IntPtr.Zero, &OnError, GCHandle.ToIntPtr(_self));
        if (status != 0) throw new CodecException($"libFLAC could not start a decoder (init status {status})");
        fixed (byte* h = _header)
        {
            SetInput(h, _header.Length);
            _error = null;
            var ok = LibFlac.DecoderProcessUntilEndOfMetadata(_decoder) != 0;
            _input = null;
            if (!ok || _error is not null)
                throw new CorruptRecordingException($"libFLAC rejected the stored stream header: {_error ?? "decoder error"}");
        }
        _primed = true;
    }

    public StreamInfo Info { get; }

    private void SetInput(byte* data, int length)
    {
        _input = data;
        _inputLength = length;
        _inputPosition = 0;
    }

    /// <summary>
    /// Decodes <paramref name="frames"/> (whole frames, the first starting at sample <paramref name="firstSample"/>)
    /// and writes samples in [<paramref name="start"/>, <paramref name="start"/>+<paramref name="count"/>) to the
    /// target, output frame 0 being sample <paramref name="start"/>.
    /// </summary>
    public void DecodeRange(ReadOnlySpan<byte> frames, long firstSample, long start, long count, SampleTarget target)
    {
        lock (_native) DecodeRangeLocked(frames, firstSample, start, count, target);
    }

    private void DecodeRangeLocked(ReadOnlySpan<byte> frames, long firstSample, long start, long count, SampleTarget target)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _wantStart = start;
        _wantEnd = start + count;
        _nextFrameSample = firstSample;
        _target = target;
        ResetError();
        _callbackException = null;
        if (!_primed) Prime();
        if (LibFlac.DecoderFlush(_decoder) == 0) throw new CodecException("libFLAC could not reset the decoder");
        fixed (byte* p = frames)
        {
            SetInput(p, frames.Length);
            try
            {
                while (_nextFrameSample < _wantEnd && _error is null && _callbackException is null)
                {
                    var before = _nextFrameSample;
                    if (LibFlac.DecoderProcessSingle(_decoder) == 0) break;
                    if (_nextFrameSample == before && _inputPosition >= _inputLength) break;
                }
            }
            finally
            {
                _input = null;
                _target = null;
            }
        }
        if (_callbackException is not null) throw new CodecException("Writing decoded samples failed", _callbackException);
        if (_error is not null) throw Damage();
        if (_nextFrameSample < _wantEnd)
            throw new CorruptRecordingException($"Stored FLAC frames end at sample {_nextFrameSample}, before the requested sample {_wantEnd}");
    }

    /// <summary>
    /// Decodes a whole stream from its first frame, pulling bytes from <paramref name="pull"/> (empty = end),
    /// and, when the decoder checks MD5, verifies the signature. Returns the number of samples decoded.
    /// </summary>
    public long DecodeAll(Func<ReadOnlyMemory<byte>> pull, SampleTarget? target, long start = 0, long count = long.MaxValue)
    {
        lock (_native) return DecodeAllLocked(pull, target, start, count);
    }

    private long DecodeAllLocked(Func<ReadOnlyMemory<byte>> pull, SampleTarget? target, long start, long count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // A fresh stream (header included) so that libFLAC's MD5 covers every frame. Finishing the primed
        // stream early reports an MD5 mismatch for it: expected, and ignored.
        LibFlac.DecoderFinish(_decoder);
        _primed = false;
        var status = LibFlac.DecoderInitStream(_decoder, &OnRead, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero,
            &OnWrite, IntPtr.Zero, &OnError, GCHandle.ToIntPtr(_self));
        if (status != 0) throw new CodecException($"libFLAC could not restart the decoder (init status {status})");
        var headerSent = false;
        _pull = () =>
        {
            if (!headerSent) { headerSent = true; return _header; }
            return pull();
        };
        _wantStart = start;
        _wantEnd = count == long.MaxValue ? long.MaxValue : start + count;
        _nextFrameSample = 0;
        _target = target;
        ResetError();
        _callbackException = null;
        _inputLength = _inputPosition = 0;
        try
        {
            LibFlac.DecoderProcessUntilEndOfStream(_decoder);
            if (_callbackException is not null) throw new CorruptRecordingException($"Reading stored FLAC frames failed: {_callbackException.Message}", _callbackException);
            if (_error is not null) throw Damage();
            var md5Ok = LibFlac.DecoderFinish(_decoder) != 0;
            if (_checkMd5 && !md5Ok) throw new CorruptRecordingException("FLAC MD5 signature does not match the decoded audio");
            return _nextFrameSample;
        }
        finally
        {
            _pull = null;
            _pulledPin.Dispose();
            _pulled = default;
            _target = null;
        }
    }

    private void ResetError() => (_error, _errorAt, _resumedAt) = (null, null, null);

    /// <summary>The damage, placed at the first damaged frame (libFLAC itself resyncs and decodes on to the end).</summary>
    private CorruptRecordingException Damage() => new(_resumedAt is { } resumed
        ? $"FLAC frame data is corrupt ({_error}) at samples {_errorAt:N0} to {resumed:N0}"
        : $"FLAC frame data is corrupt ({_error}) from sample {_errorAt ?? _nextFrameSample:N0}");

    private void NoteError(string error)
    {
        _error ??= error;
        _errorAt ??= _nextFrameSample;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnRead(IntPtr decoder, byte* buffer, nuint* bytes, IntPtr clientData)
    {
        var self = (FlacDecoder)GCHandle.FromIntPtr(clientData).Target!;
        try
        {
            if (self._inputPosition >= self._inputLength && self._pull is not null)
            {
                self._pulledPin.Dispose();
                self._pulled = self._pull();
                self._pulledPin = self._pulled.Pin();
                self.SetInput((byte*)self._pulledPin.Pointer, self._pulled.Length);
            }
            var available = self._inputLength - self._inputPosition;
            if (available <= 0) { *bytes = 0; return 1; } // END_OF_STREAM
            var n = (int)Math.Min((ulong)available, *bytes);
            Buffer.MemoryCopy(self._input + self._inputPosition, buffer, n, n);
            self._inputPosition += n;
            *bytes = (nuint)n;
            return 0; // CONTINUE
        }
        catch (Exception e)
        {
            self._callbackException = e;
            *bytes = 0;
            return 2; // ABORT
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnWrite(IntPtr decoder, LibFlac.FrameHeader* frame, int** buffers, IntPtr clientData)
    {
        var self = (FlacDecoder)GCHandle.FromIntPtr(clientData).Target!;
        var frameStart = self._nextFrameSample;
        var blocksize = (int)frame->Blocksize;
        // The frame's own header says where it belongs; frames fetched from the wrong place (a stale or shifted
        // index, bytes left in a reused buffer) decode with valid CRCs, so their position is checked, not assumed.
        var headerSample = frame->NumberType == LibFlac.SampleNumberType ? (long)frame->Number
            : (long)(uint)frame->Number * self.Info.MinBlocksize;
        if (headerSample != frameStart)
        {
            // After damage, the first good frame says where the damaged span ends.
            if (self._error is not null) self._resumedAt ??= headerSample;
            self.NoteError($"a frame for sample {headerSample} was found where sample {frameStart} belongs");
            return 1; // ABORT
        }
        if (self._errorAt is { } damagedFrom && frameStart > damagedFrom) self._resumedAt ??= frameStart;
        self._nextFrameSample += blocksize;
        if (self._target is null) return 0;
        var from = Math.Max(frameStart, self._wantStart);
        var to = Math.Min(frameStart + blocksize, self._wantEnd);
        if (to <= from) return 0;
        try
        {
            self._target.Write(buffers, (int)(from - frameStart), from - self._wantStart, (int)(to - from));
            return 0;
        }
        catch (Exception e)
        {
            self._callbackException = e;
            return 1; // ABORT
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(IntPtr decoder, int status, IntPtr clientData)
    {
        var self = (FlacDecoder)GCHandle.FromIntPtr(clientData).Target!;
        self.NoteError(status >= 0 && status < LibFlac.DecoderErrors.Length ? LibFlac.DecoderErrors[status] : $"error {status}");
    }

    public void Dispose()
    {
        lock (_native)
        {
            if (_disposed) return;
            _disposed = true;
            if (_decoder != IntPtr.Zero)
            {
                LibFlac.DecoderFinish(_decoder);
                LibFlac.DecoderDelete(_decoder);
            }
            _pulledPin.Dispose();
            if (_self.IsAllocated) _self.Free();
        }
    }
}
