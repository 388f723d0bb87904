using System.Collections;
using System.Management.Automation;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Strips PowerShell wrappers from user metadata before it reaches the engine: PSObject becomes its base
/// object, [pscustomobject] a Hashtable of its properties, recursively through dictionaries and lists.
/// A value that contains itself, or nests deeper than the engine stores, is refused here, naming the key (it
/// once overflowed the stack and killed the process); the engine refuses values that are not data.
/// </summary>
internal static class PlainValues
{
    public static Hashtable Unwrap(IDictionary dictionary) =>
        Unwrap(dictionary, "", new HashSet<object>(ReferenceEqualityComparer.Instance), 0);

    private static Hashtable Unwrap(IDictionary dictionary, string path, HashSet<object> open, int depth)
    {
        Enter(dictionary, path, open, depth);
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = LanguagePrimitives.ConvertTo<string>(entry.Key is PSObject p ? p.BaseObject : entry.Key);
            table[key] = Unwrap(entry.Value, Child(path, key), open, depth + 1);
        }
        open.Remove(dictionary);
        return table;
    }

    private static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static void Enter(object container, string path, HashSet<object> open, int depth)
    {
        var where = path.Length == 0 ? "-UserMeta" : $"-UserMeta key '{path}'";
        if (depth > Metadata.MetadataValues.MaxDepth) throw new InvalidMetadataException($"{where} nests deeper than {Metadata.MetadataValues.MaxDepth} levels.", path);
        if (!open.Add(container)) throw new InvalidMetadataException($"{where} contains itself (a cycle); metadata must be a tree.", path);
    }

    private static object? Unwrap(object? value, string path, HashSet<object> open, int depth)
    {
        if (value is PSObject { BaseObject: PSCustomObject } custom)
        {
            Enter(custom, path, open, depth);
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var property in custom.Properties) table[property.Name] = Unwrap(property.Value, Child(path, property.Name), open, depth + 1);
            open.Remove(custom);
            return table;
        }
        if (value is PSObject pso) value = pso.BaseObject;
        switch (value)
        {
            case string: return value;
            case IDictionary d: return Unwrap(d, path, open, depth);
            case IEnumerable list:
                Enter(list, path, open, depth);
                var items = new List<object?>();
                var i = 0;
                foreach (var item in list) items.Add(Unwrap(item, $"{path}[{i++}]", open, depth + 1));
                open.Remove(list);
                return items.ToArray();
            default: return value;
        }
    }
}
