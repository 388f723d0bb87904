using System.Collections;
using System.Management.Automation;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Strips PowerShell wrappers from user metadata before it reaches the engine: PSObject becomes its base
/// object, [pscustomobject] a Hashtable of its properties, recursively through dictionaries and lists.
/// </summary>
internal static class PlainValues
{
    public static Hashtable Unwrap(IDictionary dictionary)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in dictionary) table[Unwrap(entry.Key)!] = Unwrap(entry.Value);
        return table;
    }

    public static object? Unwrap(object? value)
    {
        if (value is PSObject { BaseObject: PSCustomObject } custom)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var property in custom.Properties) table[property.Name] = Unwrap(property.Value);
            return table;
        }
        if (value is PSObject pso) value = pso.BaseObject;
        return value switch
        {
            string => value,
            IDictionary d => Unwrap(d),
            IEnumerable list => list.Cast<object?>().Select(Unwrap).ToArray(),
            _ => value,
        };
    }
}
