using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ZarrAudio.Export;

namespace ZarrAudio.PowerShell;

/// <summary>Completes -Format with the muxers of the ffmpeg on this machine, audio formats first.</summary>
public sealed class ExportFormatCompleter : IArgumentCompleter
{
    private static readonly string[] Audio = ["wav", "flac", "ogg", "opus", "mp3", "ipod", "matroska", "w64", "caf", "aiff", "wv", "adts"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ExportFormats.All
            .Where(f => f.Name.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => Array.IndexOf(Audio, f.Name) is var i && i >= 0 ? i : Audio.Length).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new CompletionResult(f.Name, f.Name, CompletionResultType.ParameterValue, string.IsNullOrEmpty(f.Description) ? f.Name : f.Description));
}
