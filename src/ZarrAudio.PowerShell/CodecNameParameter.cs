using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ZarrAudio.Codecs;

namespace ZarrAudio.PowerShell;

/// <summary>
/// -Codec takes Auto or any codec the engine registers, checked at binding (like ValidateSet, whose generator form
/// PowerShellStandard 5.1 lacks), so a new codec needs no change in the cmdlet layer.
/// </summary>
public sealed class ValidateCodecNameAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var name = arguments?.ToString() ?? "";
        if (!RecordingCodecs.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw new ValidationMetadataException($"'{name}' is not a codec. Choose one of: {string.Join(", ", CodecNameCompleter.Display)}.");
    }
}

/// <summary>Tab completion of -Codec.</summary>
public sealed class CodecNameCompleter : IArgumentCompleter
{
    internal static IEnumerable<string> Display => RecordingCodecs.Names.Select(n => char.ToUpperInvariant(n[0]) + n[1..]);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Display.Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase)).Select(n => new CompletionResult(n));
}
