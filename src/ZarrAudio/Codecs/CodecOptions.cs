using System.Globalization;

namespace ZarrAudio.Codecs;

/// <summary>
/// An import setting a codec takes, declared by the codec (Import-Recording offers each as a parameter of the same
/// name, e.g. -CompressionLevel, and takes any of them in -CodecOption @{ Name = value }).
/// </summary>
/// <param name="Type">int, long or string.</param>
public sealed record CodecOption(string Name, Type Type, string Help, long Minimum = long.MinValue, long Maximum = long.MaxValue);

/// <summary>A codec option that no codec takes, or the chosen codec does not, or a value of the wrong type or range.</summary>
public sealed class InvalidCodecOptionException(string message) : ZarrAudioException(message);

/// <summary>The codec options a caller gave, by name (case-insensitive), before a codec resolves them against a source.</summary>
public sealed class CodecOptions
{
    private readonly Dictionary<string, object?> _values;

    public CodecOptions(IEnumerable<KeyValuePair<string, object?>> values)
    {
        _values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
            if (!_values.TryAdd(name, value)) throw new InvalidCodecOptionException($"The codec option '{name}' is given twice.");
    }

    public static CodecOptions None { get; } = new([]);

    public IReadOnlyCollection<string> Names => _values.Keys;

    /// <summary>The option's value, converted to its type and checked against its range; false when the caller did not give it.</summary>
    public bool TryGet<T>(CodecOption option, out T value)
    {
        var found = Value(option);
        value = found is null ? default! : (T)found;
        return found is not null;
    }

    private object? Value(CodecOption option)
    {
        if (!_values.TryGetValue(option.Name, out var given) || given is null) return null;
        object converted;
        try { converted = Convert.ChangeType(given, option.Type, CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidCodecOptionException($"The codec option {option.Name} takes {(option.Type == typeof(string) ? "text" : "a whole number")}, not '{given}'. {option.Help}");
        }
        if (converted is int or long && Convert.ToInt64(converted, CultureInfo.InvariantCulture) is var number
            && (number < option.Minimum || number > option.Maximum))
            throw new InvalidCodecOptionException($"The codec option {option.Name} is {number:N0}, outside {option.Minimum:N0} to {option.Maximum:N0}. {option.Help}");
        return converted;
    }

    /// <summary>
    /// Refuses a name not among <paramref name="taken"/> (the options of the codec asked for by name, or of every
    /// codec for Auto, which leaves those of the codecs it does not choose unused), and any value of the wrong type or range.
    /// </summary>
    internal void Check(IReadOnlyList<CodecOption> taken, string? codecName)
    {
        foreach (var name in _values.Keys)
        {
            var option = taken.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (option is null)
            {
                var names = taken.Count == 0 ? "none" : string.Join(", ", taken.Select(o => o.Name));
                throw new InvalidCodecOptionException(codecName is null
                    ? $"No codec takes an option '{name}'; the codec options are: {names}."
                    : $"The {codecName} codec takes no option '{name}'; its options are: {names}.");
            }
            Value(option);
        }
    }
}
