<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks ZarrAudio.
.DESCRIPTION
    The canonical build script. It uses only core cmdlets, .NET calls and native commands, so it runs in
    pwsh 7.4+ and in the ZarrAudio script host (./zarraudio -NoModule -File build.ps1 -Task Test).
.PARAMETER Task
    Build: compile the module into module/bin and the host into artifacts/host.
    Test:  Build, then run every test project (xunit) and print a summary line.
    Demo:  Build, then run examples/quickstart.ps1 in a fresh host (or pwsh) process.
    Bench: Build, then run the benchmark harness in bench/ (writes docs/PERFORMANCE.md tables to stdout).
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
    [string[]] $BenchArgs = @()
)
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot

function Invoke-Native([string] $File, [string[]] $Arguments) {
    [Console]::Error.WriteLine("> $File $($Arguments -join ' ')")
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    # module/bin holds only the loader; the cmdlets, the engine and every dependency go to module/bin/deps,
    # which ZarrAudio.psm1 loads in an AssemblyLoadContext of their own (pwsh's own assemblies never clash).
    $bin = [IO.Path]::Combine($root, 'module', 'bin')
    if ([IO.Directory]::Exists($bin)) { [IO.Directory]::Delete($bin, $true) }
    Invoke-Native dotnet @('publish', [IO.Path]::Combine($root, 'src', 'ZarrAudio.PowerShell.Loader'), '-c', $Configuration, '-o', $bin, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', [IO.Path]::Combine($root, 'src', 'ZarrAudio.PowerShell'), '-c', $Configuration, '-o', [IO.Path]::Combine($bin, 'deps'), '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', [IO.Path]::Combine($root, 'src', 'ZarrAudio.Host'), '-c', $Configuration, '-o', [IO.Path]::Combine($root, 'artifacts', 'host'), '--nologo', '-v', 'quiet')
    # Help goes to en-US beside the manifest (the module base), where Get-Help looks; it is generated, not kept in git.
    Invoke-Script ([IO.Path]::Combine($root, 'docs', 'help', 'ConvertTo-MamlHelp.ps1')) @('-Manifest', [IO.Path]::Combine($root, 'ZarrAudio.psd1'), '-Destination', [IO.Path]::Combine($root, 'en-US'))
}

function Invoke-Test {
    $results = [IO.Path]::Combine($root, 'artifacts', 'test-results')
    $output = & dotnet test ([IO.Path]::Combine($root, 'ZarrAudio.slnx')) -c $Configuration --nologo --logger 'console;verbosity=normal' --blame --results-directory $results 2>&1 |
        ForEach-Object { [Console]::Out.WriteLine($_); "$_" }
    $code = $LASTEXITCODE
    $passed = 0; $failed = 0
    # Each test project ends with "Total tests: N", then "Passed: N" and, when any failed, "Failed: N".
    foreach ($line in $output) {
        if ($line -match '^\s+Passed:\s+(\d+)\s*$') { $passed += [int]$Matches[1] }
        elseif ($line -match '^\s+Failed:\s+(\d+)\s*$') { $failed += [int]$Matches[1] }
    }
    [Console]::Out.WriteLine("tests: $passed passed, $failed failed")
    if ($code -ne 0 -or $failed -gt 0 -or $passed -eq 0) { throw "Tests failed (exit code $code)" }
}

# Runs a script in a new process of the same shell (pwsh or the ZarrAudio host), so it loads the module just built.
function Invoke-Script([string] $Path, [string[]] $Arguments = @()) {
    $shell = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($shell) -in @('dotnet')) { $shell = [IO.Path]::Combine($root, 'zarraudio') }
    Invoke-Native $shell (@('-File', $Path) + $Arguments)
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Script ([IO.Path]::Combine($root, 'examples', 'quickstart.ps1')) }
        'Bench' {
            Invoke-Build
            Invoke-Native dotnet (@('run', '--project', [IO.Path]::Combine($root, 'bench', 'ZarrAudio.Bench'), '-c', 'Release', '--') + $BenchArgs)
        }
    }
}
