using System.Reflection;
using System.Runtime.Loader;

namespace ZarrAudio.PowerShell.Loader;

/// <summary>
/// Loads the cmdlets, the engine and their dependencies (FFMpegCore, System.Text.Json 9, ZstdSharp, ...) from
/// module/bin/deps into a load context of their own, so they never clash with the versions PowerShell itself
/// has loaded (pwsh 7.4 runs on .NET 8, whose System.Text.Json is older than FFMpegCore needs). Whatever is not
/// in deps (the .NET libraries, System.Management.Automation) is shared with the default context.
/// ZarrAudio.psm1 calls <see cref="LoadCmdlets"/> and imports the assembly it returns.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static DependencyLoadContext? _instance;

    private DependencyLoadContext(string directory) : base("ZarrAudio") => Directory = directory;

    public string Directory { get; }

    /// <summary>The cmdlet assembly, loaded once per process (a second Import-Module gets the same one).</summary>
    public static Assembly LoadCmdlets(string directory)
    {
        lock (Gate)
        {
            _instance ??= new DependencyLoadContext(directory);
            return _instance.LoadFromAssemblyName(new AssemblyName("ZarrAudio.PowerShell"));
        }
    }

    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(Directory, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>
    /// Native libraries that packages ship (SkiaSharp's libSkiaSharp) live under runtimes/{rid}/native of deps, where
    /// the default probing of the host (pwsh) does not look. Libraries of the system (libFLAC, libsoxr) are not there
    /// and fall through to the engine's own resolver.
    /// </summary>
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        foreach (var folder in new[] { rid, $"{os}-{arch}" }.Distinct())
            foreach (var file in new[] { unmanagedDllName, $"lib{unmanagedDllName}.so", $"{unmanagedDllName}.so", $"{unmanagedDllName}.dll", $"lib{unmanagedDllName}.dylib" })
            {
                var path = Path.Combine(Directory, "runtimes", folder, "native", file);
                if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
            }
        return IntPtr.Zero;
    }
}
