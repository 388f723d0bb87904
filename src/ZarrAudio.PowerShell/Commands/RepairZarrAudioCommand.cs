using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Finds and removes what killed or failed imports, removals, metadata changes and store writes left in an
/// archive, reporting each item. Never touches a live import: one whose lease holds (its importer renews it, on any
/// host) and, on this host, whose process runs; a claim written before leases existed counts as live for -MinimumAge.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "ZarrAudio", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RepairItem))]
public sealed class RepairZarrAudioCommand : ArchiveCmdlet
{
    /// <summary>How long a claim without a lease (written by a ZarrAudio older than leases) counts as live (default one day).</summary>
    [Parameter]
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromDays(1);

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        RepairPlan? plan = null;
        if (!ForItem(archive.Location, () => plan = Run(ct => archive.PlanRepairsAsync(MinimumAge, ct)))) return;
        var items = plan!.Items;
        WriteVerbose($"{archive.Location}: {items.Count} item(s) to repair.");
        foreach (var item in items)
        {
            if (!ShouldProcess(item.Target, $"Remove {item.Detail}")) continue;
            ForItem(item.Target, () =>
            {
                Run(ct => archive.ApplyRepairAsync(item, MinimumAge, ct));
                WriteChange(archive, item);
            });
        }
        // What is left alone is said too, so an empty result does not read as "nothing there".
        var kept = plan.Kept;
        if (kept.Count == 0) return;
        WriteWarning($"{kept.Count} temporary file(s) left: a write may still be at work on them (younger than 10 minutes, or their process still runs). Run Repair-ZarrAudio again later to remove them if they stay.");
        foreach (var file in kept) WriteVerbose($"Left: {file}");
    }

    protected override void EndProcessing() => FlushChanges();
}
