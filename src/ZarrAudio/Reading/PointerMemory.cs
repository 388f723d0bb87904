using System.Buffers;

namespace ZarrAudio.Reading;

/// <summary>A caller's pinned buffer as Memory&lt;byte&gt;, so a read can land in it directly (no copy).</summary>
internal sealed unsafe class PointerMemory(IntPtr pointer, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new((void*)pointer, length);
    public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)pointer + elementIndex);
    public override void Unpin() { }
    protected override void Dispose(bool disposing) { }
}
