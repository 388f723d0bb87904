namespace ZarrAudio.Reading.Resampling;

/// <summary>
/// Buffers and a libsoxr resampler kept between the reads of one worker, so a training loop's resampled reads allocate
/// nothing once warm: the resampler is cleared (soxr_clear keeps its filter) rather than built again for each read.
/// Not thread-safe: one per worker.
/// </summary>
public sealed class ResampleScratch : IDisposable
{
    private IntPtr _soxr;
    private (int Rate, int OutputRate, int Channels, ResampleQuality Quality) _key;

    /// <summary>Pinned, so the decoder writes into it directly.</summary>
    internal float[] Input { get; private set; } = [];
    internal float[] Mixed { get; private set; } = [];
    internal float[] Output { get; private set; } = [];

    internal float[] InputOf(long length) => Input.LongLength >= length ? Input : Input = GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);
    internal float[] MixedOf(long length) => Mixed.LongLength >= length ? Mixed : Mixed = new float[checked((int)length)];
    internal float[] OutputOf(long length) => Output.LongLength >= length ? Output : Output = new float[checked((int)length)];

    /// <summary>A resampler for this conversion, fresh for a new signal.</summary>
    internal IntPtr Resampler(int rate, int outputRate, int channels, ResampleQuality quality)
    {
        Native.NativeLibraryResolver.EnsureLoaded(Native.NativeLibraryResolver.Soxr);
        if (_soxr != IntPtr.Zero && _key == (rate, outputRate, channels, quality))
        {
            Check(LibSoxr.Clear(_soxr));
            return _soxr;
        }
        Free();
        var io = LibSoxr.IoSpecFor(LibSoxr.Float32Interleaved, LibSoxr.Float32Interleaved);
        var spec = LibSoxr.QualitySpecFor((nuint)quality, 0);
        _soxr = LibSoxr.Create(rate, outputRate, (uint)channels, out var error, io, spec, IntPtr.Zero);
        if (_soxr == IntPtr.Zero) throw new CodecException($"libsoxr could not resample {rate} Hz to {outputRate} Hz: {LibSoxr.Error(error)}.");
        _key = (rate, outputRate, channels, quality);
        return _soxr;
    }

    internal static void Check(IntPtr error)
    {
        if (LibSoxr.Error(error) is { } text) throw new CodecException($"libsoxr failed: {text}.");
    }

    private void Free()
    {
        if (_soxr != IntPtr.Zero) LibSoxr.Delete(_soxr);
        _soxr = IntPtr.Zero;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~ResampleScratch() => Free();
}
