# Loads the ZarrAudio cmdlets in an AssemblyLoadContext of their own (see src/ZarrAudio.PowerShell.Loader),
# so the engine's dependencies cannot clash with assemblies PowerShell or other modules have loaded.
$bin = [IO.Path]::Combine($PSScriptRoot, 'bin')
$isReload = [bool]('ZarrAudio.PowerShell.Loader.DependencyLoadContext' -as [type])
if (-not $isReload) {
    $null = [System.Reflection.Assembly]::LoadFrom([IO.Path]::Combine($bin, 'ZarrAudio.PowerShell.Loader.dll'))
}
$cmdlets = [ZarrAudio.PowerShell.Loader.DependencyLoadContext]::LoadCmdlets([IO.Path]::Combine($bin, 'deps'))
$inner = Import-Module -Assembly $cmdlets -PassThru:$isReload

if ($isReload -and $inner) {
    # Import-Module -Force: PowerShell reuses the cached assembly module and leaves this module's exported
    # cmdlets empty (PowerShell issue 20710); add them back, as other ALC-isolated modules do.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $inner.ExportedCmdlets.Values) {
        $null = $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
}

# Removing the module (Remove-Module, Import-Module -Force) dismounts this runspace's archives: a mount must not
# outlive its module, and a .zip with unwritten changes is written out, not lost.
$ExecutionContext.SessionState.Module.OnRemove = { Dismount-ZarrAudio -All -Confirm:$false -WhatIf:$false }
