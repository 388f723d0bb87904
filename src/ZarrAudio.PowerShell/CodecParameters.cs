using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using ZarrAudio.Codecs;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Import-Recording's codec settings as parameters: one per option a codec declares (-CompressionLevel, -Bitrate),
/// with its range, so a new codec's options appear without touching the cmdlet; and the values given, merged with
/// -CodecOption, for the engine, where the chosen codec checks them against the source.
/// </summary>
internal sealed class CodecParameters
{
    public RuntimeDefinedParameterDictionary Parameters { get; } = Create();

    private static RuntimeDefinedParameterDictionary Create()
    {
        var parameters = new RuntimeDefinedParameterDictionary();
        foreach (var option in RecordingCodecs.Options)
        {
            var attributes = new Collection<Attribute> { new ParameterAttribute { HelpMessage = option.Help } };
            if (option.Type != typeof(string)) attributes.Add(new ValidateRangeAttribute(option.Minimum, option.Maximum));
            parameters.Add(option.Name, new RuntimeDefinedParameter(option.Name, option.Type, attributes));
        }
        return parameters;
    }

    /// <summary>The options given as parameters and in <paramref name="table"/>; a name given both ways is refused.</summary>
    public CodecOptions Given(Hashtable? table)
    {
        var given = Parameters.Values.Where(p => p.IsSet).Select(p => KeyValuePair.Create(p.Name, (object?)p.Value));
        var extra = table?.Cast<DictionaryEntry>().Select(e => KeyValuePair.Create(e.Key?.ToString() ?? "", PlainValue(e.Value))) ?? [];
        return new CodecOptions(given.Concat(extra));
    }

    private static object? PlainValue(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
