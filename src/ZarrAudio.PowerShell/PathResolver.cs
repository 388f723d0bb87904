using System.Management.Automation;

namespace ZarrAudio.PowerShell;

/// <summary>Resolves -Path (wildcards) and -LiteralPath to file-system paths, as PowerShell's own cmdlets do.</summary>
internal static class PathResolver
{
    public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string path, bool literal)
    {
        if (literal) return [cmdlet.GetUnresolvedProviderPathFromPSPath(path)];
        if (!WildcardPattern.ContainsWildcardCharacters(path))
        {
            var single = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
            return [single];
        }
        var resolved = cmdlet.GetResolvedProviderPathFromPSPath(path, out var provider);
        if (provider.Name != "FileSystem") throw new ItemNotFoundException($"'{path}' is not a file-system path.");
        return resolved.OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    public static string ResolveOne(PSCmdlet cmdlet, string path, bool allowMissing)
    {
        var all = Resolve(cmdlet, path, literal: false);
        if (all.Count != 1) throw new ItemNotFoundException($"'{path}' matches {all.Count} items; give exactly one.");
        if (!allowMissing && !File.Exists(all[0]) && !Directory.Exists(all[0])) throw new ItemNotFoundException($"Cannot find path '{all[0]}' because it does not exist.");
        return all[0];
    }
}
