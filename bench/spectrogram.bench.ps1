<#
.SYNOPSIS
    Spectrogram arrays (issue 24): 10 min of 48 kHz mono (pink noise with a repeating sweep, as float32), 512-sample
    Hann window, 50 % overlap, spectrum scaling: SpectrogramComputer (C#, FFTW on both cores) against
    scipy.signal.spectrogram on the same samples (numpy's pocketfft, one core), each timed -Runs times in its own
    process, interleaved; and Get-Spectrogram in pwsh on the recording stored as FLAC (reading and decoding included).
.EXAMPLE
    pwsh -NoProfile -File bench/spectrogram.bench.ps1 -Minutes 10 -Runs 3
#>
param([double] $Minutes = 10, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "zarraudio-spectrogram-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
try {
    $seconds = [int]($Minutes * 60)
    $flac = Join-Path $work 'field.flac'
    $raw = Join-Path $work 'field.raw'
    & sox -n -r 48000 -b 16 -c 1 $flac synth $seconds pinknoise vol 0.1 synth $seconds sine mix 2000-9000 vol 0.05
    & sox $flac -t raw -e floating-point -b 32 $raw
    $project = Join-Path $PSScriptRoot 'ZarrAudio.Bench'
    & dotnet build $project -c Release -v q --nologo | Out-Null
    $dll = Join-Path $project 'bin/Release/net10.0/ZarrAudio.Bench.dll'
    $python = @'
import sys, time, numpy as np
from scipy.signal import spectrogram
x = np.fromfile(sys.argv[1], dtype='<f4')
spectrogram(x[:48000], fs=48000, window='hann', nperseg=512, noverlap=256, scaling='spectrum')
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); f, tt, s = spectrogram(x, fs=48000, window='hann', nperseg=512, noverlap=256, scaling='spectrum')
    print(f'{time.perf_counter() - t:.4f} {s.shape[0]}x{s.shape[1]}')
'@
    $py = Join-Path $work 'scipy_spectrogram.py'
    Set-Content -LiteralPath $py -Value $python
    Import-Module (Join-Path $PSScriptRoot '../ZarrAudio.psd1')
    $null = Mount-ZarrAudio -Path (Join-Path $work 'archive') -Create
    $id = (Import-Recording -LiteralPath $flac).Id
    $null = Get-Spectrogram -Id $id -Count 48000 # warm-up
    $times = @{ ours = @(); scipy = @(); pwsh = @() }
    foreach ($run in 1..$Runs) {
        $times.scipy += [double](((& /usr/bin/python3 $py $raw 1) -split ' ')[0])
        $times.ours += [double](((& dotnet $dll --spectrogram $raw 48000 1) -split ' ')[0])
        $times.pwsh += (Measure-Command { $s = Get-Spectrogram -Id $id }).TotalSeconds
        if ($s.Shape[1] -ne [math]::Floor(($seconds * 48000 - 256) / 256)) { throw "shape $($s.Shape)" }
        $s = $null
    }
    function Median($v) { $s = $v | Sort-Object; $s[[math]::Floor(($s.Count - 1) / 2)] }
    function Cell($v) { '{0:0.000} s ({1:0.000}–{2:0.000})' -f (Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum }
    "| $Minutes min of 48 kHz mono, 512 Hann, 50 % | time | ratio (scipy / this) |"
    '|---|---|---|'
    "| SpectrogramComputer (C#, FFTW, 2 cores) | $(Cell $times.ours) | $('{0:0.00}' -f ((Median $times.scipy) / (Median $times.ours))) |"
    "| scipy.signal.spectrogram (numpy pocketfft, 1 core) | $(Cell $times.scipy) | 1.00 |"
    "| Get-Spectrogram in pwsh (FLAC read and decoded too) | $(Cell $times.pwsh) | $('{0:0.00}' -f ((Median $times.scipy) / (Median $times.pwsh))) |"
    Dismount-ZarrAudio -All
}
finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
