using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ZarrAudio.PowerShell;

/// <summary>Completes -Id with the ids of the archive given by -Archive (or the default one), showing each recording's source name.</summary>
public sealed class RecordingIdCompleterAttribute : ArgumentCompleterAttribute
{
    public RecordingIdCompleterAttribute() : base(typeof(RecordingIdCompleter)) { }
}

public sealed class RecordingIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Get-RecordingMeta");
        // The archive the command line names (-Archive $a), else the default.
        if (fakeBoundParameters["Archive"] is { } archive) ps.AddParameter("Archive", archive is PSObject p ? p.BaseObject : archive);
        IEnumerable<RecordingInfo> recordings;
        try { recordings = ps.Invoke<RecordingInfo>(); }
        catch (RuntimeException) { yield break; }
        foreach (var r in recordings)
        {
            var id = r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (id.StartsWith(wordToComplete, StringComparison.Ordinal))
                yield return new CompletionResult(id, id, CompletionResultType.ParameterValue, $"{r.SourceName} ({r.Duration})");
        }
    }
}
