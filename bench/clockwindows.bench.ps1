<#
.SYNOPSIS
    Clock-time selection over many recordings (issue 22): Select-Segment -From 04:30 -To 05:30 over -Recordings
    recordings (one hour each, 100 Hz, at three sites in three zones, starting every few hours over -Days days), and
    the same through the engine (ClockWindows.Select on the recordings already listed), against what a user writes
    without it: a PowerShell loop over Get-RecordingMeta that intersects each recording with each day's window by its
    UTC offset. Listing the recordings (Get-RecordingMeta) is timed on its own. Each step -Runs times; median (range).
.EXAMPLE
    pwsh -NoProfile -File bench/clockwindows.bench.ps1 -Recordings 10000 -Runs 3
#>
param([int] $Recordings = 10000, [int] $Days = 60, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-clock-$PID"
try {
    Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')
    $archive = Mount-ZarrAudio -Path $work -Create
    $hour = [int16[]]::new(100 * 3600)
    $zones = 'Europe/Berlin', 'America/Bogota', 'Asia/Tokyo'
    $start = [datetime]'2024-05-01T00:00:00'
    $step = [math]::Max(1, [math]::Floor($Days * 24 * 3 / $Recordings))
    for ($i = 0; $i -lt $Recordings; $i++) {
        $at = $start.AddHours([math]::Floor($i / 3) * $step).ToString('yyyy-MM-dd HH:mm')
        $null = Import-Recording -Samples $hour -SampleRate 100 -RecordedAt $at -TimeZone $zones[$i % 3]
    }
    $times = @{ list = @(); cmdlet = @(); engine = @(); loop = @() }
    $asm = $archive.GetType().Assembly
    $windows = $asm.GetType('ZarrAudio.Segments.ClockWindows')
    $edge = $asm.GetType('ZarrAudio.Segments.WindowEdge')
    $request = [Activator]::CreateInstance($asm.GetType('ZarrAudio.Segments.ClockWindowRequest'))
    $request.From = $edge::Parse('04:30'); $request.To = $edge::Parse('05:30')
    foreach ($run in 1..$Runs) {
        $times.list += (Measure-Command { $meta = Get-RecordingMeta }).TotalSeconds
        $times.cmdlet += (Measure-Command { $n = @(Select-Segment -From 04:30 -To 05:30 -WarningAction SilentlyContinue).Count }).TotalSeconds
        $listed = $archive.GetRecordingsAsync([Threading.CancellationToken]::None, $null).GetAwaiter().GetResult()
        $times.engine += (Measure-Command { $m = $windows::Select($listed, $request).Parts.Count }).TotalSeconds
        $times.loop += (Measure-Command {
            $k = 0
            foreach ($r in $meta) {
                $local = $r.RecordedAtLocal; $end = $local.AddSeconds($r.DurationSeconds)
                for ($d = $local.Date.AddDays(-1); $d -le $end.Date; $d = $d.AddDays(1)) {
                    $ws = [datetimeoffset]::new($d.AddHours(4.5), $local.Offset); $we = $ws.AddHours(1)
                    if ($ws -lt $end -and $we -gt $local) { $k++ }
                }
            }
        }).TotalSeconds
        if ($n -ne $m -or $n -ne $k) { throw "Select-Segment found $n parts, the engine $m, the loop $k" }
    }
    function Median($v) { $s = $v | Sort-Object; $s[[math]::Floor(($s.Count - 1) / 2)] }
    function Cell($v) { '{0:0.00} s ({1:0.00}–{2:0.00})' -f (Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum }
    "| $Recordings recordings, 04:30–05:30 local, $n parts | time | ratio (loop / this) |"
    '|---|---|---|'
    "| Select-Segment (lists the recordings itself) | $(Cell $times.cmdlet) | $('{0:0.00}' -f ((Median $times.loop) / (Median $times.cmdlet))) |"
    "| ClockWindows.Select on listed recordings (engine) | $(Cell $times.engine) | $('{0:0.00}' -f ((Median $times.loop) / (Median $times.engine))) |"
    "| baseline: a PowerShell loop over Get-RecordingMeta output | $(Cell $times.loop) | 1.00 |"
    "| listing alone (Get-RecordingMeta) | $(Cell $times.list) | |"
    Dismount-ZarrAudio -All
}
finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
