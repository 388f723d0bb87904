<#
.SYNOPSIS
    The follow-up job's work (examples/slurm-repair.sh calls it): removes what killed or failed import tasks left in
    the archive, and prints what it removed and a summary line.
#>
param(
    [Parameter(Mandatory)] [string] $Archive,
    [Parameter(Mandatory)] [string] $Module
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$null = Mount-ZarrAudio $Archive
$removed = @(Repair-ZarrAudio -Confirm:$false)
$removed | Format-Table -AutoSize | Out-String -Width 200
"repair: $($removed.Count) item(s) removed"
Dismount-ZarrAudio -All
