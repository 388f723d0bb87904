using System.Reflection;
using System.Runtime.InteropServices;

namespace ZarrAudio.Zarr.Native;

/// <summary>
/// c-blosc 1.x (Debian's libblosc1), the library behind Zarr's core <c>blosc</c> codec. Only the context
/// functions are used: they keep no global state, so any number of threads compress and decompress at once.
/// </summary>
internal static unsafe partial class LibBlosc
{
    private const string Lib = "zarraudio-blosc";
    internal const string Package = "Debian/Ubuntu: apt-get install libblosc1; Fedora: dnf install blosc; macOS: brew install c-blosc";
    private static readonly string[] Names = ["libblosc.so.1", "libblosc.so", "blosc.dll", "libblosc.dll", "libblosc.1.dylib", "libblosc.dylib"];

    /// <summary>Bytes blosc may add to its input (BLOSC_MAX_OVERHEAD).</summary>
    public const int MaxOverhead = 16;

    static LibBlosc() => NativeLibrary.SetDllImportResolver(typeof(LibBlosc).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Lib) return IntPtr.Zero;
        foreach (var candidate in Names)
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        throw new NativeLibraryMissingException("libblosc", Package, Names);
    }

    [LibraryImport(Lib, EntryPoint = "blosc_compress_ctx", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int CompressCtx(int clevel, int doshuffle, nuint typesize, nuint nbytes, byte* src, byte* dest, nuint destsize,
        string compressor, nuint blocksize, int numinternalthreads);

    [LibraryImport(Lib, EntryPoint = "blosc_decompress_ctx")]
    public static partial int DecompressCtx(byte* src, byte* dest, nuint destsize, int numinternalthreads);

    /// <summary>0 when the header is consistent with <paramref name="cbytes"/>; sets the decompressed size.</summary>
    [LibraryImport(Lib, EntryPoint = "blosc_cbuffer_validate")]
    public static partial int CbufferValidate(byte* cbuffer, nuint cbytes, nuint* nbytes);
}
