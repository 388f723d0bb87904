namespace ZarrAudio.Analysis;

/// <summary>
/// Real-input FFTs of one size through FFTW: one plan per size for the process (planning is serialised), and per
/// thread an input and an output buffer from fftwf_malloc, so every execution meets the plan's alignment.
/// </summary>
internal sealed unsafe class RealFft : IDisposable
{
    private static readonly Dictionary<int, IntPtr> Plans = [];
    private static readonly object PlanLock = new();

    private readonly IntPtr _plan;
    private float* _input, _output;

    public RealFft(int size)
    {
        Native.NativeLibraryResolver.EnsureLoaded(Native.NativeLibraryResolver.Fftw);
        Size = size;
        _input = LibFftw.Malloc((nuint)(size * sizeof(float)));
        _output = LibFftw.Malloc((nuint)((size + 2) * sizeof(float)));
        lock (PlanLock)
        {
            if (!Plans.TryGetValue(size, out _plan))
            {
                _plan = LibFftw.PlanRealToComplex(size, _input, _output, LibFftw.Estimate);
                if (_plan == IntPtr.Zero) throw new CodecException($"FFTW could not plan a {size}-point transform.");
                Plans[size] = _plan; // kept for the process: plans are small and sizes few
            }
        }
    }

    public int Size { get; }
    public Span<float> Input => new(_input, Size);

    /// <summary>Transforms <see cref="Input"/>; the result is Size/2 + 1 complex bins (re, im interleaved).</summary>
    public ReadOnlySpan<float> Execute()
    {
        LibFftw.Execute(_plan, _input, _output);
        return new ReadOnlySpan<float>(_output, Size + 2);
    }

    public void Dispose()
    {
        if (_input != null) LibFftw.Free(_input);
        if (_output != null) LibFftw.Free(_output);
        _input = null;
        _output = null;
    }
}
