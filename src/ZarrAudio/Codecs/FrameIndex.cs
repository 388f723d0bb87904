using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs;

/// <summary>
/// A stream's frame index (byte offset and first sample of every frame), loaded once and checked: which frames
/// cover a range of samples, and which bytes hold them.
/// </summary>
internal sealed class FrameIndex
{
    private readonly long[] _offsets;
    private readonly long[] _firstSamples;

    private FrameIndex(long[] offsets, long[] firstSamples, long byteLength) => (_offsets, _firstSamples, ByteLength) = (offsets, firstSamples, byteLength);

    public int Count => _offsets.Length;
    public long ByteLength { get; }
    public long FirstSample(int frame) => _firstSamples[frame];

    /// <param name="totalSamples">Samples the stream holds (0 when unknown): no frame may start beyond them.</param>
    public static async Task<FrameIndex> LoadAsync(IReadableStore store, string indexPath, long byteLength, long totalSamples, CancellationToken ct)
    {
        var index = await ZarrArray.OpenAsync(store, indexPath, ct).ConfigureAwait(false);
        var pairs = await index.ReadAsync<long>([0, 0], index.Shape, ct).ConfigureAwait(false);
        var offsets = new long[pairs.Length / 2];
        var firstSamples = new long[pairs.Length / 2];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = pairs[2 * i];
            firstSamples[i] = pairs[2 * i + 1];
        }
        Check(indexPath, offsets, firstSamples, byteLength, totalSamples);
        return new FrameIndex(offsets, firstSamples, byteLength);
    }

    /// <summary>
    /// An index chunk that vanished reads as zeros (its first chunk may legitimately be unstored: a one-frame
    /// index is all zeros), so the index is checked for the shape every real one has: both columns start at 0
    /// and strictly increase, and stay inside the stream.
    /// </summary>
    private static void Check(string path, long[] offsets, long[] firstSamples, long byteLength, long totalSamples)
    {
        if (offsets.Length == 0 || offsets[0] != 0 || firstSamples[0] != 0)
            throw new CorruptRecordingException($"{path}: the frame index does not start at byte 0, sample 0");
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] <= offsets[i - 1] || firstSamples[i] <= firstSamples[i - 1])
                throw new CorruptRecordingException($"{path}: the frame index is damaged at frame {i} (byte {offsets[i]}, sample {firstSamples[i]} after byte {offsets[i - 1]}, sample {firstSamples[i - 1]})");
        if (offsets[^1] >= byteLength || (totalSamples > 0 && firstSamples[^1] >= totalSamples))
            throw new CorruptRecordingException($"{path}: the frame index points past the end of the stream");
    }

    /// <summary>The frame holding a sample (the last frame for samples beyond the last frame's start).</summary>
    public int FrameAt(long sample)
    {
        var i = Array.BinarySearch(_firstSamples, sample);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>The bytes of frames [first, last].</summary>
    public (long Start, int Length) Bytes(int first, int last)
    {
        var end = last + 1 < _offsets.Length ? _offsets[last + 1] : ByteLength;
        return (_offsets[first], checked((int)(end - _offsets[first])));
    }
}
