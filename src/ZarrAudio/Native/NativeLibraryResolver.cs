using System.Reflection;
using System.Runtime.InteropServices;
using ZarrAudio.Zarr;

namespace ZarrAudio.Native;

/// <summary>
/// Resolves the logical library names used in [LibraryImport] to the file names each platform ships
/// (Debian: libFLAC.so.12; other releases .so.14 or .so.8; Windows FLAC.dll; macOS libFLAC.dylib).
/// Registered once per process; a missing library becomes an error that names the package.
/// </summary>
internal static class NativeLibraryResolver
{
    internal const string Flac = "zarraudio-flac";
    internal const string FdkAac = "zarraudio-fdk-aac";
    internal const string Soxr = "zarraudio-soxr";
    internal const string Fftw = "zarraudio-fftw3f";

    private static readonly Dictionary<string, (string Display, string Package, string[] Names)> Libraries = new()
    {
        [Flac] = ("libFLAC", "Debian/Ubuntu: apt-get install libflac12; Fedora: dnf install flac-libs; macOS: brew install flac",
            ["libFLAC.so.12", "libFLAC.so.14", "libFLAC.so.8", "libFLAC.so", "FLAC.dll", "libFLAC.dll", "libFLAC.dylib", "libFLAC.12.dylib", "libFLAC.14.dylib"]),
        [FdkAac] = ("fdk-aac", "Debian: enable the non-free component, then apt-get install libfdk-aac2",
            ["libfdk-aac.so.2", "libfdk-aac.so", "fdk-aac.dll", "libfdk-aac-2.dll", "libfdk-aac.dylib", "libfdk-aac.2.dylib"]),
        [Soxr] = ("libsoxr", "Debian/Ubuntu: apt-get install libsoxr0 (ffmpeg brings it); Fedora: dnf install soxr; macOS: brew install libsoxr",
            ["libsoxr.so.0", "libsoxr.so", "soxr.dll", "libsoxr.dll", "libsoxr.dylib", "libsoxr.0.dylib"]),
        [Fftw] = ("FFTW (single precision)", "Debian/Ubuntu: apt-get install libfftw3-single3; Fedora: dnf install fftw-libs-single; macOS: brew install fftw",
            ["libfftw3f.so.3", "libfftw3f.so", "libfftw3f-3.dll", "fftw3f.dll", "libfftw3f.dylib", "libfftw3f.3.dylib"]),
    };

    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!Libraries.TryGetValue(name, out var library)) return IntPtr.Zero;
        foreach (var candidate in library.Names)
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        throw new NativeLibraryMissingException(library.Display, library.Package, library.Names);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Loaded = new();

    /// <summary>
    /// Loads the library now, so a missing one is reported before any work starts. Once loaded, this is a lookup:
    /// hot paths call it (each resampled read), and dlopen takes the loader's lock, which serialised parallel readers.
    /// </summary>
    public static void EnsureLoaded(string name)
    {
        if (Loaded.ContainsKey(name)) return;
        Register();
        Resolve(name, typeof(NativeLibraryResolver).Assembly, null);
        Loaded[name] = true;
    }
}
