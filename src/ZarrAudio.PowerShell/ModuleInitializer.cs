using System.Management.Automation;
using ZarrAudio.Native;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Runs when the module is imported: installs the native library resolver (libFLAC, fdk-aac) for the engine.
/// Nothing native is loaded here, so import stays fast; a missing library is reported on first use with
/// the package that provides it (the NativeLibraryMissing error).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport() => NativeLibraries.Register();
}
