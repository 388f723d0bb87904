namespace ZarrAudio.Zarr.Stores;

/// <summary>A byte range of a stored value: <c>[Offset, Offset+Length)</c>, or the last <c>Length</c> bytes when <see cref="IsSuffix"/>.</summary>
public readonly record struct ByteRange(long Offset, long Length, bool IsSuffix = false)
{
    public static ByteRange FromOffset(long offset, long length) => new(offset, length);
    public static ByteRange Suffix(long length) => new(0, length, true);
    public long End => Offset + Length;

    /// <summary>Resolves this range against a value of <paramref name="size"/> bytes, clamped to it.</summary>
    public (long Offset, int Length) Resolve(long size)
    {
        if (IsSuffix)
        {
            var n = Math.Min(Length, size);
            return (size - n, (int)n);
        }
        if (Offset >= size) return (size, 0);
        return (Offset, (int)Math.Min(Length, size - Offset));
    }

    public override string ToString() => IsSuffix ? $"bytes=-{Length}" : $"bytes={Offset}-{Offset + Length - 1}";
}
