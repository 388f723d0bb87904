using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZarrAudio.Native;

namespace ZarrAudio.Bench;

/// <summary>libFLAC's own random access on a .flac file: seek_absolute, then decode until the range is out.</summary>
internal sealed unsafe class NativeSeekBaseline : IDisposable
{
    private readonly IntPtr _decoder;
    private GCHandle _self;
    private long _remaining;

    public NativeSeekBaseline(string path)
    {
        _decoder = LibFlac.DecoderNew();
        _self = GCHandle.Alloc(this);
        if (LibFlac.DecoderInitFile(_decoder, path, &OnWrite, IntPtr.Zero, &OnError, GCHandle.ToIntPtr(_self)) != 0)
            throw new InvalidOperationException("libFLAC cannot open " + path);
        LibFlac.DecoderProcessUntilEndOfMetadata(_decoder);
    }

    public void Read(long start, long count)
    {
        _remaining = count;
        if (LibFlac.DecoderSeekAbsolute(_decoder, (ulong)start) == 0) throw new InvalidOperationException("seek failed");
        while (_remaining > 0 && LibFlac.DecoderProcessSingle(_decoder) != 0) { }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnWrite(IntPtr d, LibFlac.FrameHeader* frame, int** buffers, IntPtr client)
    {
        var self = (NativeSeekBaseline)GCHandle.FromIntPtr(client).Target!;
        self._remaining -= frame->Blocksize;
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
