using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ZarrAudio.Testing;

namespace ZarrAudio.PowerShell.Tests;

/// <summary>
/// A runspace that imports ZarrAudio.psd1 exactly as a user does (the module published into module/bin by
/// build.ps1), then runs real script text and keeps output, errors and progress.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        var manifest = Path.Combine(RepoPaths.Root, "ZarrAudio.psd1");
        if (!File.Exists(Path.Combine(RepoPaths.Root, "module", "bin", "deps", "ZarrAudio.PowerShell.dll")))
            throw new InvalidOperationException("The module is not built: run build.ps1 -Task Build (the Test task does).");
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        Run($"Import-Module '{manifest}' -ErrorAction Stop");
    }

    public List<ErrorRecord> Errors { get; } = [];
    public List<ProgressRecord> Progress { get; } = [];

    public List<object?> Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create(_runspace);
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
            _runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        var output = ps.Invoke();
        Errors.AddRange(ps.Streams.Error);
        Progress.AddRange(ps.Streams.Progress);
        return output.Select(o => o?.BaseObject).ToList();
    }

    public void Dispose() => _runspace.Dispose();
}
