namespace ZarrAudio.Zarr.Codecs;

/// <summary>Copies an N-d box between two C-order buffers, one contiguous innermost row at a time.</summary>
public static class RegionCopy
{
    /// <param name="sourceBase">Linear element index that byte 0 of <paramref name="source"/> holds (for partial fetches).</param>
    public static void Copy(
        ReadOnlySpan<byte> source, ReadOnlySpan<long> sourceShape, ReadOnlySpan<long> sourceStart,
        Span<byte> target, ReadOnlySpan<long> targetShape, ReadOnlySpan<long> targetStart,
        ReadOnlySpan<long> regionShape, int elementSize, long sourceBase = 0)
    {
        var rank = regionShape.Length;
        foreach (var n in regionShape) if (n == 0) return;
        if (rank == 0)
        {
            source.Slice((int)(-sourceBase * elementSize), elementSize).CopyTo(target[..elementSize]);
            return;
        }
        Span<long> sourceStrides = stackalloc long[rank];
        Span<long> targetStrides = stackalloc long[rank];
        Strides(sourceShape, sourceStrides);
        Strides(targetShape, targetStrides);

        // Merge trailing dimensions that are whole in both buffers into one long row.
        var rowLength = regionShape[rank - 1];
        var inner = rank - 1;
        while (inner > 0 && regionShape[inner] == sourceShape[inner] && regionShape[inner] == targetShape[inner]
               && sourceStart[inner] == 0 && targetStart[inner] == 0)
        {
            inner--;
            rowLength *= regionShape[inner];
        }
        var rowBytes = (int)(rowLength * elementSize);
        Span<long> index = stackalloc long[inner];
        while (true)
        {
            long s = -sourceBase, t = 0;
            for (var d = 0; d < rank; d++)
            {
                var i = d < inner ? index[d] : 0;
                s += (sourceStart[d] + i) * sourceStrides[d];
                t += (targetStart[d] + i) * targetStrides[d];
            }
            source.Slice((int)(s * elementSize), rowBytes).CopyTo(target.Slice((int)(t * elementSize), rowBytes));
            var dim = inner - 1;
            while (dim >= 0 && ++index[dim] == regionShape[dim]) index[dim--] = 0;
            if (dim < 0) return;
        }
    }

    public static void Strides(ReadOnlySpan<long> shape, Span<long> strides)
    {
        long stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
    }

    public static long[] ToLong(int[] values) => Array.ConvertAll(values, v => (long)v);

    /// <summary>Fills a box of the target with one repeated element.</summary>
    public static void Fill(Span<byte> target, ReadOnlySpan<long> targetShape, ReadOnlySpan<long> targetStart,
        ReadOnlySpan<long> regionShape, ReadOnlySpan<byte> element)
    {
        var count = 1L;
        foreach (var n in regionShape) count *= n;
        if (count == 0) return;
        var source = new byte[count * element.Length];
        if (element.ContainsAnyExcept((byte)0))
            for (var i = 0; i < source.Length; i += element.Length) element.CopyTo(source.AsSpan(i));
        Copy(source, regionShape, new long[regionShape.Length], target, targetShape, targetStart, regionShape, element.Length);
    }

    public static bool IsAll(ReadOnlySpan<byte> data, ReadOnlySpan<byte> element)
    {
        if (element.Length == 1) return !data.ContainsAnyExcept(element[0]);
        for (var i = 0; i < data.Length; i += element.Length)
            if (!data.Slice(i, element.Length).SequenceEqual(element)) return false;
        return true;
    }
}
