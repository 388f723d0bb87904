using System.Management.Automation;
using ZarrAudio.Native;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Runs when the module is imported: installs the native library resolver (libFLAC, fdk-aac) for the engine.
/// Nothing native is loaded here, so import stays fast; a missing library is reported on first use with
/// the package that provides it (the NativeLibraryMissing error). At process exit every mounted archive is
/// dismounted, so a .zip with changes not yet written out is written, not lost. (Module removal is the psm1's
/// OnRemove: PowerShell does not call an assembly's cleanup on Import-Module -Force of an isolated module.)
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static int _exitHooked;

    public void OnImport()
    {
        NativeLibraries.Register();
        if (Interlocked.Exchange(ref _exitHooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => MountRegistry.DismountEverything();
    }
}
