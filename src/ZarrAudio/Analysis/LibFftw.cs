using System.Runtime.InteropServices;
using ZarrAudio.Native;

namespace ZarrAudio.Analysis;

/// <summary>
/// The few FFTW 3 calls a real-input transform needs (fftw3.h, single precision). The managed FFT packages served
/// here measured 10 to 20 times slower than numpy's pocketfft on 512-point transforms (docs/PERFORMANCE.md), FFTW is
/// the reference FFT and Debian ships it. Planning is not thread-safe (one lock); executing a plan on other arrays
/// (the new-array interface) is, given buffers as aligned as the planning ones (all come from fftwf_malloc).
/// </summary>
internal static unsafe partial class LibFftw
{
    public const uint Estimate = 1U << 6; // FFTW_ESTIMATE: plan without measuring (fast, deterministic)

    [LibraryImport(NativeLibraryResolver.Fftw, EntryPoint = "fftwf_plan_dft_r2c_1d")]
    public static partial IntPtr PlanRealToComplex(int n, float* input, float* output, uint flags);

    [LibraryImport(NativeLibraryResolver.Fftw, EntryPoint = "fftwf_execute_dft_r2c")]
    public static partial void Execute(IntPtr plan, float* input, float* output);

    [LibraryImport(NativeLibraryResolver.Fftw, EntryPoint = "fftwf_destroy_plan")]
    public static partial void DestroyPlan(IntPtr plan);

    [LibraryImport(NativeLibraryResolver.Fftw, EntryPoint = "fftwf_malloc")]
    public static partial float* Malloc(nuint bytes);

    [LibraryImport(NativeLibraryResolver.Fftw, EntryPoint = "fftwf_free")]
    public static partial void Free(float* pointer);
}
