<#
.SYNOPSIS
    Runs one Pester file in this (fresh) pwsh process and writes its counts as JSON for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $Pester,
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $Summary
)
Import-Module $Pester -ErrorAction Stop
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $configuration
# A container that failed to run (a syntax error, a failing BeforeAll outside any test) counts as a failure.
$failed = $result.FailedCount + $result.FailedContainersCount
# Every skipped test says why (Set-ItResult -Skipped -Because puts the reason in its error record).
$skipped = @($result.Skipped | ForEach-Object {
    $why = @($_.ErrorRecord | ForEach-Object { $_.Exception.Message }) -join '; '
    "$($_.ExpandedPath): $(if ($why) { $why } else { 'skipped without a reason' })"
})
@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $skipped } | ConvertTo-Json | Set-Content -LiteralPath $Summary
