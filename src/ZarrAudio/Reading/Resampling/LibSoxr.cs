using System.Runtime.InteropServices;
using ZarrAudio.Native;

namespace ZarrAudio.Reading.Resampling;

/// <summary>
/// The few libsoxr 0.1 calls resampling needs (soxr.h). No .NET binding is served; Debian's libsoxr0 is installed with
/// ffmpeg. Structures are laid out as the header declares them.
/// </summary>
internal static partial class LibSoxr
{
    public const uint Float32Interleaved = 0; // SOXR_FLOAT32_I

    [StructLayout(LayoutKind.Sequential)]
    public struct QualitySpec
    {
        public double Precision, PhaseResponse, PassbandEnd, StopbandBegin;
        public IntPtr E;
        public nuint Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoSpec
    {
        public uint InputType, OutputType;
        public double Scale;
        public IntPtr E;
        public nuint Flags;
    }

    [LibraryImport(NativeLibraryResolver.Soxr, EntryPoint = "soxr_quality_spec")]
    public static partial QualitySpec QualitySpecFor(nuint recipe, nuint flags);

    [LibraryImport(NativeLibraryResolver.Soxr, EntryPoint = "soxr_io_spec")]
    public static partial IoSpec IoSpecFor(uint inputType, uint outputType);

    [LibraryImport(NativeLibraryResolver.Soxr, EntryPoint = "soxr_create")]
    public static partial IntPtr Create(double inputRate, double outputRate, uint channels, out IntPtr error, in IoSpec io, in QualitySpec quality, IntPtr runtime);

    [LibraryImport(NativeLibraryResolver.Soxr, EntryPoint = "soxr_process")]
    public static unsafe partial IntPtr Process(IntPtr soxr, float* input, nuint inputFrames, out nuint inputDone, float* output, nuint outputFrames, out nuint outputDone);

    /// <summary>Ready for a fresh signal with the same configuration (keeps the filter, drops the history).</summary>
    [LibraryImport(NativeLibraryResolver.Soxr, EntryPoint = "soxr_clear")]
    public static partial IntPtr Clear(IntPtr soxr);

    [LibraryImport(NativeLibraryResolver.Soxr, EntryPoint = "soxr_delete")]
    public static partial void Delete(IntPtr soxr);

    /// <summary>libsoxr's error text (a static C string), or null for none.</summary>
    public static string? Error(IntPtr error) => error == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(error);
}
