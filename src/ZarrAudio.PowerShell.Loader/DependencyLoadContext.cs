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
}
