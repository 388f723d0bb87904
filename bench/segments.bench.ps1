<#
.SYNOPSIS
    Segment sets of 100,000 rows (issue 22): creating one from pipeline rows (New-SegmentSet) and reading all its
    rows (Get-Segment), against what a user keeps otherwise, a CSV beside the archive (Export-Csv / Import-Csv of the
    same rows); the same through the engine's API (AudioArchive.CreateSegmentSetAsync / GetSegmentsAsync with the
    pins checked), which a .NET caller or a training loader uses; and Select-Object -Property Id over the same rows,
    the least any compiled cmdlet costs per pipeline object. Rows: 100 per recording over 1,000 recordings, span in
    seconds, a species label of 20 values and a confidence. Each step runs -Runs times, interleaved; prints median
    (range) and the ratio of medians as a Markdown table.
.EXAMPLE
    pwsh -NoProfile -File bench/segments.bench.ps1 -Rows 100000 -Runs 3
#>
param([int] $Rows = 100000, [int] $Recordings = 1000, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-segments-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
try {
    Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')
    $archive = Mount-ZarrAudio -Path (Join-Path $work 'archive') -Create
    $samples = [int16[]]::new(8000 * 10)
    foreach ($r in 1..$Recordings) { $null = Import-Recording -Samples $samples -SampleRate 8000 -Name "r$r" }
    $perRecording = [math]::Ceiling($Rows / $Recordings)
    $species = 1..20 | ForEach-Object { "species-$_" }
    $random = [Random]::new(1)
    $rowsIn = [Collections.Generic.List[object]]::new($Rows)
    for ($i = 0; $i -lt $Rows; $i++) {
        $rowsIn.Add([pscustomobject]@{
            Id = 1 + [math]::Floor($i / $perRecording); StartTime = ($i % $perRecording) * 0.09; Duration = 0.05
            species = $species[$random.Next(20)]; confidence = [math]::Round($random.NextDouble(), 3) })
    }
    # The same rows as the engine's own type, for the API figures (the module's types live in its own load context).
    $inputType = $archive.GetType().Assembly.GetType('ZarrAudio.Segments.SegmentInput')
    $engineRows = [Activator]::CreateInstance([Collections.Generic.List`1].MakeGenericType($inputType))
    foreach ($row in $rowsIn) {
        $x = [Activator]::CreateInstance($inputType)
        $x.Id = $row.Id; $x.StartTime = $row.StartTime; $x.Duration = $row.Duration
        $labels = [Collections.Generic.Dictionary[string, object]]::new(); $labels['species'] = $row.species; $labels['confidence'] = [double]$row.confidence
        $x.Labels = $labels
        $engineRows.Add($x)
    }
    $ct = [Threading.CancellationToken]::None
    $csv = Join-Path $work 'rows.csv'
    $times = @{ create = @(); csvWrite = @(); read = @(); csvRead = @(); apiCreate = @(); apiRead = @(); floor = @() }
    foreach ($run in 1..$Runs) {
        # Interleaved, so drift of a noisy machine hits both sides alike.
        $times.csvWrite += (Measure-Command { $rowsIn | Export-Csv -LiteralPath $csv }).TotalSeconds
        $times.create += (Measure-Command { $null = $rowsIn | New-SegmentSet -Name "set$run" }).TotalSeconds
        $times.csvRead += (Measure-Command { $n = (Import-Csv -LiteralPath $csv).Count }).TotalSeconds
        $times.read += (Measure-Command { $n = @(Get-Segment -Set "set$run").Count }).TotalSeconds
        if ($n -ne $Rows) { throw "read $n rows, expected $Rows" }
        $times.apiCreate += (Measure-Command { $null = $archive.CreateSegmentSetAsync("api$run", $engineRows, $null, $ct).GetAwaiter().GetResult() }).TotalSeconds
        $times.apiRead += (Measure-Command { $n = $archive.GetSegmentsAsync("api$run", $true, $ct).GetAwaiter().GetResult().Count }).TotalSeconds
        if ($n -ne $Rows) { throw "read $n rows, expected $Rows" }
        $times.floor += (Measure-Command { $rowsIn | Select-Object -Property Id | Out-Null }).TotalSeconds
    }
    function Median($v) { $s = $v | Sort-Object; $s[[math]::Floor(($s.Count - 1) / 2)] }
    function Cell($v) { '{0:0.00} s ({1:0.00}–{2:0.00})' -f (Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum }
    "| $Rows rows over $Recordings recordings | ZarrAudio | CSV beside the archive | ratio (CSV / ZarrAudio) |"
    '|---|---|---|---|'
    "| create (New-SegmentSet vs Export-Csv) | $(Cell $times.create) | $(Cell $times.csvWrite) | $('{0:0.00}' -f ((Median $times.csvWrite) / (Median $times.create))) |"
    "| read all rows (Get-Segment vs Import-Csv) | $(Cell $times.read) | $(Cell $times.csvRead) | $('{0:0.00}' -f ((Median $times.csvRead) / (Median $times.read))) |"
    "| create through the API (CreateSegmentSetAsync) | $(Cell $times.apiCreate) | $(Cell $times.csvWrite) | $('{0:0.00}' -f ((Median $times.csvWrite) / (Median $times.apiCreate))) |"
    "| read through the API, pins checked (GetSegmentsAsync) | $(Cell $times.apiRead) | $(Cell $times.csvRead) | $('{0:0.00}' -f ((Median $times.csvRead) / (Median $times.apiRead))) |"
    "| floor: Select-Object -Property Id over the rows | $(Cell $times.floor) | | |"
    Dismount-ZarrAudio -All
}
finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
