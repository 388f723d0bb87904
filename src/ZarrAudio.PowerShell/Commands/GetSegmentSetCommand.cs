using System.Management.Automation;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>Lists the archive's segment sets: rows, recordings, seconds, label histograms and the set's own metadata.</summary>
[Cmdlet(VerbsCommon.Get, "SegmentSet")]
[OutputType(typeof(SegmentSetInfo))]
public sealed class GetSegmentSetCommand : ArchiveCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var names = Name ?? ["*"];
        foreach (var name in names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            ForItem(name, () => WriteObject(Run(ct => archive.GetSegmentSetAsync(name, ct))));
        var patterns = names.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        if (patterns.Count == 0) return;
        ForItem(archive.Location, () =>
        {
            foreach (var info in Run(archive.GetSegmentSetsAsync).Where(i => patterns.Any(p => p.IsMatch(i.Name)))) WriteObject(info);
        });
    }
}
