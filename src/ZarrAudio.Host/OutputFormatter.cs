using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace ZarrAudio.Host;

/// <summary>
/// Turns pipeline output into one readable line per object. The host has no Format-* cmdlets, so objects
/// that do not print themselves are shown as <c>@{Name=Value; ...}</c>, like PowerShell's own string form.
/// </summary>
internal static class OutputFormatter
{
    private const int MaxProperties = 12;

    public static string Format(object? value)
    {
        var baseObject = value is PSObject pso ? pso.BaseObject : value;
        switch (baseObject)
        {
            case null: return "";
            case string s: return s;
            case IFormattable f when baseObject.GetType().IsPrimitive || baseObject is decimal or DateTime or DateTimeOffset or TimeSpan or Enum:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case bool b: return b ? "True" : "False";
            case IDictionary d:
                return "@{" + string.Join("; ", d.Keys.Cast<object>().Select(k => $"{k}={Short(d[k])}")) + "}";
            case Array a:
                return $"{a.GetType().GetElementType()?.Name}[{string.Join(",", Enumerable.Range(0, a.Rank).Select(a.GetLength))}]";
        }
        var type = baseObject.GetType();
        var ownToString = type.GetMethod("ToString", Type.EmptyTypes)?.DeclaringType;
        if (baseObject is not PSCustomObject && ownToString != typeof(object) && ownToString != typeof(ValueType))
            return baseObject.ToString() ?? "";
        var psObject = value as PSObject ?? PSObject.AsPSObject(baseObject);
        var properties = psObject.Properties.Where(p => p.IsGettable).Take(MaxProperties)
            .Select(p => $"{p.Name}={Short(SafeValue(p))}");
        return "@{" + string.Join("; ", properties) + "}";
    }

    private static object? SafeValue(PSPropertyInfo property)
    {
        try { return property.Value; }
        catch (Exception) { return "<error>"; }
    }

    private static string Short(object? value) => (value is PSObject p ? p.BaseObject : value) switch
    {
        null => "",
        string s => s,
        Array a => $"{a.GetType().GetElementType()?.Name}[{string.Join(",", Enumerable.Range(0, a.Rank).Select(a.GetLength))}]",
        IDictionary d => "@{" + string.Join("; ", d.Keys.Cast<object>().Take(MaxProperties).Select(k => $"{k}={Short(d[k])}")) + "}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var o => o.ToString() ?? "",
    };
}
