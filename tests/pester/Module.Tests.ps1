BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'The module as a user loads it' {
    It 'has a valid manifest and exports exactly its cmdlets' {
        $module = Test-ModuleManifest -Path $Manifest
        $module.Name | Should -Be 'ZarrAudio'
        (Get-Module ZarrAudio).ExportedCmdlets.Keys | Sort-Object | Should -Be @(
            'Add-Segment', 'Dismount-ZarrAudio', 'Export-Recording', 'Export-Segment', 'Export-Spectrogram', 'Export-TrainingBatch', 'Get-RecordingMeta', 'Get-Segment', 'Get-SegmentSet', 'Get-Spectrogram', 'Get-ZarrAudio',
            'Import-Recording', 'Import-Segment', 'Invoke-AudioModel', 'Mount-ZarrAudio', 'New-Augmentation', 'New-SegmentSet', 'Read-Samples', 'Read-TrainingBatch', 'Remove-Recording', 'Remove-Segment', 'Remove-SegmentSet',
            'Repair-ZarrAudio', 'Select-Segment', 'Set-RecordingMeta', 'Split-SegmentSet', 'Test-Recording')
    }

    It 'loads the engine and its dependencies in their own context and survives Import-Module -Force' {
        $archive = Mount-ZarrAudio -Uri 'memory://alc' -Create
        $alc = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($archive.GetType().Assembly)
        $alc.Name | Should -Be 'ZarrAudio'
        $json = $alc.Assemblies | Where-Object { $_.GetName().Name -eq 'System.Text.Json' }
        $json.Location | Should -BeLike (Join-Path $RepoRoot 'module/bin/deps/*')
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([System.Management.Automation.PSObject].Assembly).Name | Should -Be 'Default'

        # Import-Module -Force removes the module first: its mounts go with it, and every cmdlet works after.
        Import-Module $Manifest -Force
        (Get-Module ZarrAudio).ExportedCmdlets.Count | Should -Be 27
        $archive.IsMounted | Should -BeFalse
        $again = Mount-ZarrAudio -Uri 'memory://alc'
        (Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -Archive $again).Id | Should -Be 1
    }
}

Describe 'The demo' {
    It 'runs examples/quickstart.ps1 in a fresh pwsh and every recording is valid' {
        $pwsh = Join-Path $PSHOME 'pwsh'
        $output = & $pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'examples/quickstart.ps1') -ArchivePath (Join-Path $TestDrive 'demo') 2>&1
        $LASTEXITCODE | Should -Be 0
        ($output -join "`n") | Should -Match 'valid: True'
        ($output -join "`n") | Should -Not -Match 'valid: False'
    }
}
