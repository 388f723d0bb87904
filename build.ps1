<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks ZarrAudio.
.DESCRIPTION
    The canonical build script; runs in pwsh 7.4+ (./bootstrap.sh installs pwsh 7.6.9 and runs it).
.PARAMETER Task
    Build: compile the module into module/bin and its help into en-US.
    Test:  Build, then run the engine and Zarr tests (xunit) and the module tests (Pester, each file in a fresh
           pwsh process), and print one line: tests: N passed, N failed.
    Demo:  Build, then run examples/quickstart.ps1 in a fresh pwsh process.
    Bench: Build, then run the engine benchmark (bench/ZarrAudio.Bench) and the module benchmark in pwsh
           (bench/module.bench.ps1, bench/smallfiles.bench.ps1); all print docs/PERFORMANCE.md tables to stdout.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench')]
    [string[]] $Task = @('Build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Extra arguments for the benchmark harness, e.g. '--quick'.
    [string[]] $BenchArgs = @(),
    # Pester test files to run (default: every tests/pester/*.Tests.ps1); with -SkipXunit, a quick module loop.
    [string[]] $PesterPath = @(),
    [switch] $SkipXunit
)
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$pwsh = [IO.Path]::Combine($PSHOME, 'pwsh')
if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = (Get-Process -Id $PID).Path }

function Invoke-Native([string] $File, [string[]] $Arguments) {
    [Console]::Error.WriteLine("> $File $($Arguments -join ' ')")
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    # module/bin holds only the loader; the cmdlets, the engine and every dependency go to module/bin/deps,
    # which ZarrAudio.psm1 loads in an AssemblyLoadContext of their own (pwsh's own assemblies never clash).
    $bin = Join-Path $root 'module/bin'
    if (Test-Path -LiteralPath $bin) { Remove-Item -LiteralPath $bin -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/ZarrAudio.PowerShell.Loader'), '-c', $Configuration, '-o', $bin, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/ZarrAudio.PowerShell'), '-c', $Configuration, '-o', (Join-Path $bin 'deps'), '--nologo', '-v', 'quiet')
    # Help goes to en-US beside the manifest (the module base), where Get-Help looks; it is generated, not kept in git.
    Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'docs/help/ConvertTo-MamlHelp.ps1'),
        '-Manifest', (Join-Path $root 'ZarrAudio.psd1'), '-Destination', (Join-Path $root 'en-US'))
}

# Pester 5.7.1 comes from its NuGet package (tools/ is the module), restored into the NuGet cache.
function Get-PesterManifest {
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) {
        Invoke-Native dotnet @('restore', (Join-Path $root 'tests/pester/PesterRestore.csproj'), '--nologo', '-v', 'quiet')
    }
    if (-not (Test-Path -LiteralPath $manifest)) { throw "Pester 5.7.1 was not restored to $manifest" }
    $manifest
}

function Invoke-XunitTests {
    $results = Join-Path $root 'artifacts/test-results'
    $output = & dotnet test (Join-Path $root 'ZarrAudio.slnx') -c $Configuration --nologo --logger 'console;verbosity=normal' --blame --results-directory $results 2>&1 |
        ForEach-Object { [Console]::Out.WriteLine($_); "$_" }
    $code = $LASTEXITCODE
    $passed = 0; $failed = 0; $skipped = @(); $failures = @()
    # Each test project ends with "Total tests: N", then "Passed: N" and, when any failed or were skipped,
    # "Failed: N" and "Skipped: N"; a skipped test's own line ("  Skipped Name [..]") is followed by its reason.
    foreach ($line in $output) {
        if ($line -match '^\s+Passed:\s+(\d+)\s*$') { $passed += [int]$Matches[1] }
        elseif ($line -match '^\s+Failed:\s+(\d+)\s*$') { $failed += [int]$Matches[1] }
        elseif ($line -match '^\s+Skipped (\S+)') { $skipped += "xunit $($Matches[1])" }
        elseif ($line -match '^\s+Failed (\S+) \[') { $failures += "xunit $($Matches[1])" }
    }
    # A test host that died counts as a failure even when no test was reported failed.
    if ($code -ne 0 -and $failed -eq 0) { $failed = 1 }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped; Failures = $failures }
}

# Each Pester file runs in a fresh pwsh that imports ./ZarrAudio.psd1 as a user does.
function Invoke-PesterTests {
    $pester = Get-PesterManifest
    # pwsh -File passes a list as one string: "a,b".
    $files = if ($PesterPath) { $PesterPath -split "," | ForEach-Object { (Resolve-Path $_).Path } }
             else { Get-ChildItem -LiteralPath (Join-Path $root 'tests/pester') -Filter '*.Tests.ps1' | ForEach-Object FullName }
    $passed = 0; $failed = 0; $skipped = @()
    foreach ($file in $files) {
        $summary = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-pester-$PID-$([IO.Path]::GetFileNameWithoutExtension($file)).json"
        & $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/pester/Invoke-PesterFile.ps1') -Pester $pester -Path $file -Summary $summary 2>&1 |
            ForEach-Object { [Console]::Out.WriteLine("$_") }
        if (Test-Path -LiteralPath $summary) {
            $counts = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
            Remove-Item -LiteralPath $summary
            $passed += $counts.Passed; $failed += $counts.Failed; $skipped += @($counts.Skipped | Where-Object { $_ })
        }
        else { $failed += 1; [Console]::Out.WriteLine("pester: $file did not report (the pwsh process died)") }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-Test {
    $xunit = if ($SkipXunit) { [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = @(); Failures = @() } } else { Invoke-XunitTests }
    $pester = Invoke-PesterTests
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = @($xunit.Skipped) + @($pester.Skipped)
    [Console]::Out.WriteLine("xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; pester: $($pester.Passed) passed, $($pester.Failed) failed")
    # A skipped test is counted and says why, never silently absent.
    foreach ($reason in $skipped) { [Console]::Out.WriteLine("skipped: $reason") }
    # The names again at the end, where a shortened CI log still shows them.
    foreach ($name in $xunit.Failures) { [Console]::Out.WriteLine("failed: $name") }
    [Console]::Out.WriteLine("tests: $passed passed, $failed failed, $($skipped.Count) skipped")
    if ($failed -gt 0 -or $passed -eq 0) { throw "Tests failed" }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'examples/quickstart.ps1')) }
        'Bench' {
            Invoke-Build
            Invoke-Native dotnet (@('run', '--project', (Join-Path $root 'bench/ZarrAudio.Bench'), '-c', 'Release', '--') + $BenchArgs)
            # The module as users drive it, in a fresh pwsh.
            Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'bench/module.bench.ps1'))
            Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'bench/smallfiles.bench.ps1'))
            Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'bench/longimport.bench.ps1'))
        }
    }
}
