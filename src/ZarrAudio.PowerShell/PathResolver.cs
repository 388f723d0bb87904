using System.Collections.ObjectModel;
using System.Management.Automation;

namespace ZarrAudio.PowerShell;

/// <summary>Resolves -Path (wildcards) and -LiteralPath to file-system paths, as PowerShell's own cmdlets do.</summary>
internal static class PathResolver
{
    public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string path, bool literal)
    {
        if (literal) return [cmdlet.GetUnresolvedProviderPathFromPSPath(path)];
        // No live wildcard: the path is meant literally, with any escapes (`[ `]) removed.
        if (!WildcardPattern.ContainsWildcardCharacters(path))
            return [cmdlet.GetUnresolvedProviderPathFromPSPath(WildcardPattern.Unescape(path))];
        Collection<string> resolved;
        ProviderInfo provider;
        try { resolved = cmdlet.GetResolvedProviderPathFromPSPath(path, out provider); }
        catch (ItemNotFoundException) { resolved = []; provider = null!; }
        if (resolved.Count == 0)
        {
            // A name with [ ] read as a wildcard matches nothing, not even itself: say so instead of importing nothing.
            var asLiteral = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
            var hint = File.Exists(asLiteral) ? " A file of exactly that name exists: use -LiteralPath, or escape [ and ] with a backtick." : "";
            throw new ItemNotFoundException($"No file matches the wildcard path '{path}'.{hint}");
        }
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
