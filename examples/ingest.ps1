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

    A file that is not audio by its content (a recorder card's CONFIG.TXT, a log) is ignored and logged once as
    IGNORED. A file that failed to import (a corrupt WAV) is logged FAILED once and remembered, with the reason, in a
    list beside the log (ingest-failed.tsv): later runs skip it while its size and modification time stay the same,
    and try again when they change. So a timer's run fails only for what failed anew.

    Exit codes: 0 when nothing new failed, 1 when a file failed for the first time, 2 on a bad argument.
.EXAMPLE
    pwsh -NoProfile -File examples/ingest.ps1 -Source /data/incoming -ArchivePath /data/archive -LogPath /var/log/zarraudio-ingest.log
#>
param(
    # The folder to ingest from.
    [string] $Source,
    # The archive's store (a directory or .zip); created on the first run.
    [string] $ArchivePath,
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
    [int] $ThrottleLimit = [Environment]::ProcessorCount,
    # Catches what is not a parameter of this script, so a mistyped one exits 2, not 1.
    [Parameter(ValueFromRemainingArguments)] [string[]] $Unknown
)
$ErrorActionPreference = 'Stop'
if ($Unknown) { [Console]::Error.WriteLine("Unknown argument(s): $($Unknown -join ' '). See the help: Get-Help $PSCommandPath"); exit 2 }
if (-not $Source -or -not $ArchivePath) { [Console]::Error.WriteLine('Give -Source (the folder to ingest) and -ArchivePath (the archive).'); exit 2 }
if (-not (Get-Module ZarrAudio)) { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ZarrAudio.psd1')) }

$ArchivePath = [IO.Path]::GetFullPath($ArchivePath)
$Source = [IO.Path]::GetFullPath($Source)
if (-not $LogPath) { $LogPath = [IO.Path]::Combine([IO.Path]::GetDirectoryName($ArchivePath), 'ingest.log') }
$failedList = [IO.Path]::Combine([IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($LogPath)), 'ingest-failed.tsv')

# Audio and video containers by their first bytes: what is not one of them is not audio, whatever its name.
function Test-AudioContent([string] $Path) {
    $head = [byte[]]::new(12)
    $stream = [IO.File]::OpenRead($Path)
    try { $n = $stream.Read($head, 0, 12) } finally { $stream.Dispose() }
    if ($n -lt 4) { return $false }
    $text = [Text.Encoding]::ASCII.GetString($head, 0, $n)
    $text.StartsWith('RIFF') -or $text.StartsWith('RF64') -or $text.StartsWith('fLaC') -or $text.StartsWith('OggS') -or
        $text.StartsWith('ID3') -or $text.StartsWith('FORM') -or $text.StartsWith('caff') -or $text.StartsWith('wvpk') -or
        $text.StartsWith('MAC ') -or $text.StartsWith('TTA1') -or ($n -ge 8 -and $text.Substring(4, 4) -eq 'ftyp') -or
        ($head[0] -eq 0xFF -and ($head[1] -band 0xE0) -eq 0xE0) -or ($head[0] -eq 0x1A -and $head[1] -eq 0x45 -and $head[2] -eq 0xDF -and $head[3] -eq 0xA3)
}

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
    # Files that failed before, by path + size + modification time, with why: skipped until they change.
    $failedBefore = @{}
    if ([IO.File]::Exists($failedList)) {
        foreach ($line in [IO.File]::ReadAllLines($failedList)) { $parts = $line.Split("`t"); if ($parts.Count -ge 4) { $failedBefore[$parts[0..2] -join '|'] = $parts[3] } }
    }
    $option = if ($Recurse) { [IO.SearchOption]::AllDirectories } else { [IO.SearchOption]::TopDirectoryOnly }
    $new = [Collections.Generic.List[string]]::new()
    $skipped = 0
    foreach ($path in [IO.Directory]::EnumerateFiles($Source, $Filter, $option)) {
        $file = [IO.FileInfo]::new($path)
        if ($file.Name.StartsWith('.')) { continue }
        $key = '{0}|{1}|{2:o}' -f $file.FullName, $file.Length, $file.LastWriteTimeUtc
        if ($known.Contains($key)) { $skipped++; continue }
        if ($failedBefore.ContainsKey($key)) { $skipped++; continue }
        if (-not (Test-AudioContent $file.FullName)) {
            Write-Log 'IGNORED' "$($file.FullName): not audio by its content"
            [IO.File]::AppendAllText($failedList, ("{0}`t{1}`t{2:o}`tNotAudio`n" -f $file.FullName, $file.Length, $file.LastWriteTimeUtc))
            continue
        }
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
            # Another process is importing the same file right now: not a failure of the file; the next run sees it.
            elseif ($id -eq 'SourceBeingImported') { $skipped++; Write-Log 'BUSY' "$($e.TargetObject): $($e.Exception.Message)" }
            else {
                $failed++
                Write-Log 'FAILED' "$($e.TargetObject) [$id] $($e.Exception.Message)"
                if ([IO.File]::Exists($e.TargetObject)) {
                    $bad = [IO.FileInfo]::new($e.TargetObject)
                    [IO.File]::AppendAllText($failedList, ("{0}`t{1}`t{2:o}`t{3}`n" -f $bad.FullName, $bad.Length, $bad.LastWriteTimeUtc, $id))
                }
            }
        }
    }
    Write-Log 'DONE' "$imported imported, $skipped skipped, $failed failed"
}
finally {
    Dismount-ZarrAudio $archive
}
if ($failed -gt 0) { exit 1 }
exit 0
