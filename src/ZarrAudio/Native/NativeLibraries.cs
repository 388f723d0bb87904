namespace ZarrAudio.Native;

/// <summary>The engine's native libraries, for hosts that want them resolved or checked up front.</summary>
public static class NativeLibraries
{
    /// <summary>Installs the resolver for libFLAC and fdk-aac. Cheap: nothing is loaded until first use.</summary>
    public static void Register() => NativeLibraryResolver.Register();

    /// <summary>Loads libFLAC now; throws NativeLibraryMissingException naming the package when it is absent.</summary>
    public static void EnsureFlac() => NativeLibraryResolver.EnsureLoaded(NativeLibraryResolver.Flac);
}
