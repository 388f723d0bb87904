@{
    RootModule           = 'module/ZarrAudio.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0b8c3e-7a41-4f8e-9d52-3c1e6a9b2d47'
    Author               = 'ZarrAudio developers'
    CompanyName          = 'ZarrAudio'
    Copyright            = '(c) ZarrAudio developers'
    Description          = 'A wildlife sound archive in a Zarr v3 store: import anything ffmpeg decodes, keep its metadata, find recordings with Where-Object, and read any sample range exactly and in parallel.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('module/ZarrAudio.Format.ps1xml')
    TypesToProcess       = @('module/ZarrAudio.Types.ps1xml')
    CmdletsToExport      = @(
        'Mount-ZarrAudio', 'Dismount-ZarrAudio', 'Import-Recording', 'Get-RecordingMeta', 'Set-RecordingMeta',
        'Read-Samples', 'Export-Recording', 'Remove-Recording', 'Test-Recording', 'Get-ZarrAudio', 'Repair-ZarrAudio',
        'New-SegmentSet', 'Add-Segment', 'Get-SegmentSet', 'Get-Segment', 'Remove-Segment', 'Remove-SegmentSet', 'Split-SegmentSet',
        'Import-Segment', 'Export-Segment', 'Select-Segment', 'New-Augmentation', 'Read-TrainingBatch', 'Export-TrainingBatch', 'Get-Spectrogram', 'Export-Spectrogram', 'Invoke-AudioModel'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('Zarr', 'Audio', 'Bioacoustics', 'Wildlife', 'FLAC', 'MachineLearning', 'Archive', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
        }
    }
}
