<#
.SYNOPSIS
    Scheduled ingestion: imports new recordings from a folder into an archive, skips ones already imported,
    logs what happened and exits non-zero when any file failed.
.DESCRIPTION
    Meant for cron, a systemd timer or Windows Task Scheduler (see docs/INGEST.md). Runs unchanged in
    pwsh 7.4+.

    A file is skipped without being read when a recording with the same full path, size and modification
    time is already in the archive. Every other file goes to Import-Recording, which refuses a file whose
    SHA-256 is already in the archive (the DuplicateRecording error): such files are logged as skipped too,
    so a file renamed or moved after import is not imported twice. Two runs that overlap are safe.

    Exit codes: 0 when every file was imported or skipped, 1 when any failed, 2 on a bad argument.
.EXAMPLE
    pwsh -NoProfile -File examples/ingest.ps1 -Source /data/incoming -ArchivePath /data/archive -LogPath /var/log/zarraudio-ingest.log
#>
param(
    # The folder to ingest from.
    [Parameter(Mandatory)] [string] $Source,
    # The archive's store (a directory or .zip); created on the first run.
    [Parameter(Mandatory)] [string] $ArchivePath,
    # The group inside the store.
    [string] $Group = '',
    # Which files: a wildcard on the file name.
    [string] $Filter = '*',
    # Look in subfolders too.
    [switch] $Recurse,
    # Where to append the log; default: ingest.log beside the archive.
    [string] $LogPath,
    # User metadata for every recording of this run, e.g. @{ site = 'marsh' }.
    [hashtable] $UserMeta = @{},
    [int] $ThrottleLimit = [Environment]::ProcessorCount
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module ZarrAudio)) { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ZarrAudio.psd1')) }

$ArchivePath = [IO.Path]::GetFullPath($ArchivePath)
$Source = [IO.Path]::GetFullPath($Source)
if (-not $LogPath) { $LogPath = [IO.Path]::Combine([IO.Path]::GetDirectoryName($ArchivePath), 'ingest.log') }

function Write-Log([string] $Level, [string] $Message) {
    $line = '{0:yyyy-MM-ddTHH:mm:ssZ} {1,-8} {2}' -f [DateTime]::UtcNow, $Level, $Message
    [IO.File]::AppendAllText($LogPath, $line + [Environment]::NewLine)
    $line
}

if (-not [IO.Directory]::Exists($Source)) {
    Write-Log 'ERROR' "Source folder '$Source' does not exist."
    exit 2
}

$archive = Mount-ZarrAudio -Path $ArchivePath -Group $Group -Create
try {
    # What the archive already holds, by path + size + modification time: these files are not even hashed.
    $known = [Collections.Generic.HashSet[string]]::new()
    foreach ($r in Get-RecordingMeta) {
        if ($r.SourcePath) { $null = $known.Add(('{0}|{1}|{2:o}' -f $r.SourcePath, $r.SourceSize, $r.SourceModifiedAt)) }
    }
    $option = if ($Recurse) { [IO.SearchOption]::AllDirectories } else { [IO.SearchOption]::TopDirectoryOnly }
    $new = [Collections.Generic.List[string]]::new()
    $skipped = 0
    foreach ($path in [IO.Directory]::EnumerateFiles($Source, $Filter, $option)) {
        $file = [IO.FileInfo]::new($path)
        if ($file.Name.StartsWith('.')) { continue }
        $key = '{0}|{1}|{2:o}' -f $file.FullName, $file.Length, $file.LastWriteTimeUtc
        if ($known.Contains($key)) { $skipped++; continue }
        $new.Add($file.FullName)
    }
    Write-Log 'START' "Ingesting $($new.Count) new file(s) from $Source into $($archive.Location) ($skipped already known)"

    $imported = 0; $failed = 0
    if ($new.Count -gt 0) {
        $results = Import-Recording -LiteralPath $new -UserMeta $UserMeta -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable importErrors
        foreach ($r in $results) {
            $imported++
            Write-Log 'IMPORTED' ('{0} id {1} ({2} Hz, {3} ch, {4})' -f $r.SourcePath, $r.Id, $r.SampleRate, $r.Channels, $r.Duration)
        }
        foreach ($e in $importErrors) {
            $id = $e.FullyQualifiedErrorId.Split(',')[0]
            if ($id -eq 'DuplicateRecording') { $skipped++; Write-Log 'SKIPPED' "$($e.TargetObject): $($e.Exception.Message)" }
            else { $failed++; Write-Log 'FAILED' "$($e.TargetObject) [$id] $($e.Exception.Message)" }
        }
    }
    Write-Log 'DONE' "$imported imported, $skipped skipped, $failed failed"
}
finally {
    Dismount-ZarrAudio $archive
}
if ($failed -gt 0) { exit 1 }
exit 0
