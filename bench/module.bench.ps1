<#
.SYNOPSIS
    Benchmarks the module as users drive it, in pwsh: Import-Module time (fresh pwsh processes), label lists into
    Read-Samples, and Get-RecordingMeta | Where-Object over many recordings. Prints a Markdown table for
    docs/PERFORMANCE.md.
.EXAMPLE
    pwsh -NoProfile -File bench/module.bench.ps1 -Recordings 10000 -References 5000
#>
param(
    [int] $Recordings = 10000,
    [int] $References = 5000
)
$ErrorActionPreference = 'Stop'
$manifest = Join-Path $PSScriptRoot '../ZarrAudio.psd1'
$pwsh = Join-Path $PSHOME 'pwsh'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-module-bench-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
try {
    # Import-Module in a fresh pwsh, five times (the first also warms the disk cache), and pwsh's own start beside it.
    $importMs = foreach ($i in 1..5) {
        [double](& $pwsh -NoProfile -NonInteractive -Command "(Measure-Command { Import-Module '$manifest' }).TotalMilliseconds")
    }
    $startMs = foreach ($i in 1..3) { (Measure-Command { & $pwsh -NoProfile -NonInteractive -Command 'exit 0' }).TotalMilliseconds }

    Import-Module $manifest
    # Material for reads: 20 one-minute 48 kHz 16-bit stereo recordings, and a label list of 100 ms segments.
    $null = Mount-ZarrAudio -Path (Join-Path $work 'reads') -Create
    $wav = Join-Path $work 'minute.wav'
    foreach ($i in 0..19) {
        & sox -n -r 48000 -b 16 -c 2 $wav synth 60 pinknoise vol 0.3 synth 60 sine mix (1000 + 300 * $i) vol 0.5
        $null = Import-Recording -LiteralPath $wav -Force
    }
    $random = [Random]::new(7)
    $ids = @(Get-RecordingMeta | ForEach-Object Id)
    $labels = foreach ($i in 1..$References) {
        [pscustomobject]@{ Id = $ids[$random.Next($ids.Count)]; Start = $random.Next(0, 48000 * 60 - 4800); Count = 4800 }
    }
    $labels[0..199] | Read-Samples | Out-Null
    function Measure-Reads([int] $Throttle) {
        $best = 0
        foreach ($run in 1..3) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $n = 0
            $labels | Read-Samples -ThrottleLimit $Throttle | ForEach-Object { $n++ }
            if ($n -ne $References) { throw "Read-Samples returned $n blocks for $References references" }
            $best = [math]::Max($best, $n / $sw.Elapsed.TotalSeconds)
        }
        $best
    }
    $sequential = Measure-Reads 1
    $parallel = Measure-Reads 2
    Dismount-ZarrAudio

    # Metadata: many small recordings with nested user metadata, filtered with Where-Object on a fresh mount.
    $metaPath = Join-Path $work 'meta'
    $null = Mount-ZarrAudio -Path $metaPath -Create
    $species = 'Myotis daubentonii', 'Pipistrellus pygmaeus', 'Turdus merula', 'Strix aluco'
    $samples = [int16[]]::new(800)
    $importSw = [Diagnostics.Stopwatch]::StartNew()
    foreach ($i in 1..$Recordings) {
        $rate = if ($i % 3 -eq 0) { 256000 } else { 48000 }
        $null = Import-Recording -Samples $samples -SampleRate $rate -Name "clip$i" -UserMeta @{ species = $species[$i % 4]; site = @{ name = "site$($i % 25)"; depth = $i % 40 } }
    }
    $importSeconds = $importSw.Elapsed.TotalSeconds
    Dismount-ZarrAudio
    $expected = @(1..$Recordings | Where-Object { $_ % 3 -eq 0 -and $_ % 4 -eq 0 -and $_ % 40 -gt 10 }).Count
    $filter = foreach ($run in 1..3) {
        $null = Mount-ZarrAudio -Path $metaPath
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $found = @(Get-RecordingMeta | Where-Object { $_.User.species -eq 'Myotis daubentonii' -and $_.SampleRate -ge 192000 -and $_.User.site.depth -gt 10 })
        $seconds = $sw.Elapsed.TotalSeconds
        Dismount-ZarrAudio
        if ($found.Count -ne $expected) { throw "Where-Object found $($found.Count) recordings, expected $expected" }
        $seconds
    }

    "Measured in pwsh $($PSVersionTable.PSVersion) on $([Environment]::ProcessorCount) cores. Material: 20 one-minute 48 kHz stereo recordings, $($References.ToString('N0')) random 100 ms references (objects with Id, Start, Count); $($Recordings.ToString('N0')) recordings of 800 samples with nested user metadata (imported one by one in $($importSeconds.ToString('F0')) s)."
    ''
    '| what | measured | target |'
    '|---|---|---|'
    '| `Import-Module ZarrAudio.psd1` in a fresh pwsh | {0:F0} ms (median of 5; pwsh itself starts in {1:F0} ms) | < 1 s |' -f ($importMs | Sort-Object)[2], ($startMs | Sort-Object)[1]
    '| `$labels \| Read-Samples` (100 ms segments) | {0:N0} reads/s | ≥ 3,000 |' -f $sequential
    '| `$labels \| Read-Samples -ThrottleLimit 2` | {0:N0} reads/s | ≥ 3,000 |' -f $parallel
    '| `Get-RecordingMeta \| Where-Object {{ … }}` (nested user + rate), {0:N0} recordings, fresh mount | {1:F2} s best, {2:F2} s worst ({3} found) | ≤ 1 s |' -f $Recordings, ($filter | Measure-Object -Minimum).Minimum, ($filter | Measure-Object -Maximum).Maximum, $expected
}
finally {
    Dismount-ZarrAudio -All -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force
}
