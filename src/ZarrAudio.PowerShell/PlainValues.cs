using System.Collections;
using System.Management.Automation;
using ZarrAudio.Metadata;

namespace ZarrAudio.PowerShell;

/// <summary>
/// User metadata as PowerShell users write it (PSObject wrappers, [pscustomobject]) turned into plain, checked values
/// for the engine. The engine's one walk over the values does the checking (cycles, depth, values that are not data);
/// this supplies how to unwrap one level.
/// </summary>
internal static class PlainValues
{
    /// <summary>-UserMeta as plain values; throws <see cref="InvalidMetadataException"/> naming the key it cannot store.</summary>
    public static Hashtable From(IDictionary dictionary) => MetadataValues.ToHashtable(MetadataValues.FromDictionary(dictionary, Unwrap));

    /// <summary>One level of wrapping removed: a PSObject becomes its base object, a [pscustomobject] a Hashtable of its properties.</summary>
    private static object? Unwrap(object? value)
    {
        if (value is PSObject { BaseObject: PSCustomObject } custom)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var property in custom.Properties) table[property.Name] = property.Value;
            return table;
        }
        return value is PSObject pso ? pso.BaseObject : value;
    }
}
