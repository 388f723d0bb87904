<#
.SYNOPSIS
    One task's share of a Slurm read array (examples/slurm-read.sh calls it): rows k, k+N, k+2N … of a label list
    (columns id, start, count, label; samples in each recording's own rate) are read and written as little-endian
    float32 files [count, channels], named {row}_{id}_{label}.f32. Prints one summary line; exits 1 when a row failed.
#>
param(
    [Parameter(Mandatory)] [string] $Labels,
    [Parameter(Mandatory)] [string] $Archive,
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Output,
    [int] $Task = 0,
    [int] $Tasks = 1
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$null = Mount-ZarrAudio $Archive -ReadOnly
$null = New-Item -ItemType Directory -Path $Output -Force
$rows = @(Import-Csv -LiteralPath $Labels)
$written = 0; $failed = 0
for ($row = $Task; $row -lt $rows.Count; $row += $Tasks) {
    $l = $rows[$row]
    try {
        $block = Read-Samples -Id $l.id -Start $l.start -Count $l.count -AsSingle
        $samples = [float[]]::new($block.Samples.Length)
        [Buffer]::BlockCopy($block.Samples, 0, $samples, 0, $samples.Length * 4) # [frame, channel] is interleaved already
        $bytes = [byte[]]::new($samples.Length * 4)
        [Buffer]::BlockCopy($samples, 0, $bytes, 0, $bytes.Length)
        $name = ('{0}_{1}_{2}.f32' -f $row, $l.id, $l.label) -replace '[\\/:*?"<>|]', '_'
        [IO.File]::WriteAllBytes((Join-Path $Output $name), $bytes)
        $written++
    }
    catch {
        [Console]::Error.WriteLine("failed: row $row ($($l.id) $($l.start)+$($l.count)): $($_.Exception.Message)")
        $failed++
    }
}
"task $Task of ${Tasks}: $written rows written, $failed failed"
Dismount-ZarrAudio -All
exit ($failed -gt 0 ? 1 : 0)
