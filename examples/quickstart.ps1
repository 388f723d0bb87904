<#
.SYNOPSIS
    The README's demo: mount a new archive, import real field recordings, filter, read samples, export.
.DESCRIPTION
    Runs in pwsh 7.4+ (it imports ./ZarrAudio.psd1 when the module is not loaded).
    Uses the field recordings of tests/data (their sources and licences: tests/data/SOURCES.md).
#>
param(
    # Where the demo archive goes; replaced on every run.
    [string] $ArchivePath = ([IO.Path]::Combine($PSScriptRoot, '..', '.demo', 'archive'))
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module ZarrAudio)) { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ZarrAudio.psd1')) }

$ArchivePath = [IO.Path]::GetFullPath($ArchivePath)
if ([IO.Directory]::Exists($ArchivePath)) { [IO.Directory]::Delete($ArchivePath, $true) }
$archive = Mount-ZarrAudio -Path $ArchivePath -Group 'field/2024' -Create
"Mounted $($archive.Location)"

$data = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'data'))
$files = @('deermouse-go.wav', 'metadata.wav', 'spinetail.wav') | ForEach-Object { [IO.Path]::Combine($data, $_) } | Where-Object { [IO.File]::Exists($_) }
if ($files.Count -gt 0) {
    $imported = Import-Recording -LiteralPath $files -UserMeta @{ site = 'demo'; observer = @{ name = 'A. Biologist' } }
}
else {
    # No field recordings here: import a generated chirp instead.
    $rate = 48000
    $tone = [int16[]]::new($rate)
    for ($i = 0; $i -lt $rate; $i++) { $tone[$i] = [int16](10000 * [Math]::Sin(2 * [Math]::PI * (500 + $i / 10) * $i / $rate)) }
    $imported = Import-Recording -Samples $tone -SampleRate $rate -Name 'chirp' -UserMeta @{ site = 'demo' }
}
"Imported $(@($imported).Count) recording(s)"
Get-RecordingMeta | Format-Table Id, SourceName, SampleRate, Duration, RecordedAt, Device -AutoSize | Out-String -Width 160

$bats = Get-RecordingMeta | Where-Object { $_.SampleRate -ge 192000 -and $_.User.observer.name -eq 'A. Biologist' }
"Ultrasonic recordings by A. Biologist: $(@($bats).Count)"

Set-RecordingMeta -Id $imported[0].Id -UserMeta @{ species = 'Pipistrellus pipistrellus' }
$first = Get-RecordingMeta -Id $imported[0].Id
"Recording $($first.Id) species: $($first.User.species)"

# Read 100 ms from the middle of each recording, as a label list would ask for it.
$labels = Get-RecordingMeta | ForEach-Object { [pscustomobject]@{ Id = $_.Id; Start = [long]($_.SampleCount / 2); Count = [long]($_.SampleRate / 10) } }
$labels | Read-Samples -ThrottleLimit 2 | ForEach-Object {
    "  read {0} samples x {1} ch from recording {2} at {3}: first value {4}" -f $_.SampleCount, $_.Channels, $_.Id, $_.Start, $_.Samples[0, 0]
}
# Export the same segments as WAV clips named after their source and range, and the first recording whole as FLAC.
$exports = [IO.Path]::Combine([IO.Path]::GetDirectoryName($ArchivePath), 'exports')
if ([IO.Directory]::Exists($exports)) { [IO.Directory]::Delete($exports, $true) }
$labels | Export-Recording -Destination ($exports + [IO.Path]::DirectorySeparatorChar) -Force | ForEach-Object { "  exported $($_.Name) ($($_.Length) bytes)" }
Get-RecordingMeta -Id $imported[0].Id | Export-Recording -Destination $exports -Format flac | ForEach-Object { "  exported $($_.Name) ($($_.Length) bytes)" }

Test-Recording | ForEach-Object { "  recording {0} valid: {1}" -f $_.Id, $_.IsValid }
Dismount-ZarrAudio
