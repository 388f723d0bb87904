using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Native;

namespace ZarrAudio.Bench;

/// <summary>
/// libFLAC's own random access on a .flac file: seek_absolute, then decode until the range is out, delivering
/// the samples interleaved into a caller's Int16 buffer, the same work a ZarrAudio read does.
/// </summary>
internal sealed unsafe class NativeSeekBaseline : IDisposable
{
    private readonly IntPtr _decoder;
    private GCHandle _self;
    private long _remaining;
    private short[] _output = [];
    private long _written;
    private int _channels;

    public NativeSeekBaseline(string path)
    {
        _decoder = LibFlac.DecoderNew();
        _self = GCHandle.Alloc(this);
        if (LibFlac.DecoderInitFile(_decoder, path, &OnWrite, IntPtr.Zero, &OnError, GCHandle.ToIntPtr(_self)) != 0)
            throw new InvalidOperationException("libFLAC cannot open " + path);
        LibFlac.DecoderProcessUntilEndOfMetadata(_decoder);
    }

    public void Read(long start, long count, short[] output, int channels)
    {
        _output = output;
        _channels = channels;
        _written = 0;
        _remaining = count;
        if (LibFlac.DecoderSeekAbsolute(_decoder, (ulong)start) == 0) throw new InvalidOperationException("seek failed");
        while (_remaining > 0 && LibFlac.DecoderProcessSingle(_decoder) != 0) { }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnWrite(IntPtr d, LibFlac.FrameHeader* frame, int** buffers, IntPtr client)
    {
        var self = (NativeSeekBaseline)GCHandle.FromIntPtr(client).Target!;
        // After a seek, libFLAC hands over the first frame already trimmed to start at the sought sample.
        var n = (int)Math.Min(frame->Blocksize, self._remaining);
        var channels = self._channels;
        fixed (short* output = self._output)
            for (var c = 0; c < channels; c++)
            {
                var source = buffers[c];
                var at = self._written * channels + c;
                for (var i = 0; i < n; i++, at += channels) output[at] = (short)source[i];
            }
        self._written += n;
        self._remaining -= n;
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(IntPtr d, int status, IntPtr client) { }

    public void Dispose()
    {
        LibFlac.DecoderFinish(_decoder);
        LibFlac.DecoderDelete(_decoder);
        _self.Free();
    }
}
