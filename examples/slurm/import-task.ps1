<#
.SYNOPSIS
    One task's share of a Slurm import array (examples/slurm-import.sh calls it): the list's lines k, k+N, k+2N … are
    imported into the archive. Paths are taken literally, one per line (spaces, quotes and brackets are fine).
    Prints one summary line; exits 1 when any file failed (a duplicate is reported and skipped, not a failure; a file another task
    is importing at that moment, SourceBeingImported, is a failure: run the task again once that one has ended).
#>
param(
    [Parameter(Mandatory)] [string] $List,
    [Parameter(Mandatory)] [string] $Archive,
    [Parameter(Mandatory)] [string] $Module,
    [int] $Task = 0,
    [int] $Tasks = 1,
    [int] $ThrottleLimit = 2,
    [string] $Output = '.'
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
# Credentials come from the environment (AWS_*, AZURE_STORAGE_CONNECTION_STRING) or a profile, never from arguments.
$null = Mount-ZarrAudio $Archive
$lines = @(Get-Content -LiteralPath $List | Where-Object { $_.Trim().Length -gt 0 })
$share = for ($i = $Task; $i -lt $lines.Count; $i += $Tasks) { $lines[$i] }
$failures = @()
$imported = @(Get-Item -LiteralPath $share -ErrorAction SilentlyContinue -ErrorVariable +failures |
    Import-Recording -ThrottleLimit $ThrottleLimit -UserMeta @{ slurm_job = "$env:SLURM_ARRAY_JOB_ID" } -ErrorAction SilentlyContinue -ErrorVariable +failures)
$duplicates = @($failures | Where-Object { $_.FullyQualifiedErrorId -like 'DuplicateRecording*' })
$failed = @($failures | Where-Object { $_.FullyQualifiedErrorId -notlike 'DuplicateRecording*' })
$null = New-Item -ItemType Directory -Path $Output -Force
$imported | Select-Object Id, SourcePath | Export-Csv -NoTypeInformation -LiteralPath (Join-Path $Output "imported-$Task.csv")
foreach ($f in $failed) { [Console]::Error.WriteLine("failed: $($f.TargetObject): $($f.Exception.Message)") }
"task $Task of ${Tasks}: $($share.Count) files, $($imported.Count) imported, $($duplicates.Count) duplicates, $($failed.Count) failed"
Dismount-ZarrAudio -All
exit ($failed.Count -gt 0 ? 1 : 0)
