# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports ./ZarrAudio.psd1 exactly as a user does, and gives
# helpers for temporary folders, test audio (sox), ffmpeg decodes and captured streams.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Manifest = Join-Path $RepoRoot 'ZarrAudio.psd1'
$script:SharedData = [IO.Path]::GetFullPath((Join-Path $RepoRoot '../shared/testdata'))
if (-not (Test-Path -LiteralPath (Join-Path $RepoRoot 'module/bin/deps/ZarrAudio.PowerShell.dll'))) {
    throw 'The module is not built: run ./build.ps1 -Task Build (the Test task does).'
}
Import-Module $Manifest -Force -ErrorAction Stop

function Shared([string] $Name) { Join-Path $SharedData $Name }

# A fresh folder under TestDrive (Pester removes it after the file).
function New-TestFolder([string] $Name = [guid]::NewGuid().ToString('N')) {
    (New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name) -Force).FullName
}

# A WAV of noise made by sox.
function New-TestWav([string] $Path, [int] $Rate = 8000, [int] $Bits = 16, [int] $Channels = 1, [double] $Seconds = 1) {
    & sox -n -r $Rate -b $Bits -c $Channels -e signed-integer $Path synth $Seconds whitenoise vol 0.3
    if ($LASTEXITCODE -ne 0) { throw "sox failed for $Path" }
    $Path
}

# ffmpeg's decode of a file as interleaved int16.
function Get-DecodedInt16([string] $Path) {
    $raw = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.raw')
    & ffmpeg -v error -i $Path -f s16le -c:a pcm_s16le $raw
    if ($LASTEXITCODE -ne 0) { throw "ffmpeg could not decode $Path" }
    $bytes = [IO.File]::ReadAllBytes($raw)
    $samples = [int16[]]::new($bytes.Length / 2)
    [Buffer]::BlockCopy($bytes, 0, $samples, 0, $bytes.Length)
    , $samples
}

# Runs a script in a new runspace with the module imported, keeping output, errors and progress records
# (progress is only observable this way). Variables are set in the runspace first.
function Invoke-Captured([string] $Script, [hashtable] $Variables = @{}) {
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript("Import-Module '$Manifest' -ErrorAction Stop").Invoke()
        $ps.Commands.Clear()
        foreach ($name in $Variables.Keys) { $ps.Runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
        $null = $ps.AddScript($Script)
        $output = $ps.Invoke()
        [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error); Progress = @($ps.Streams.Progress) }
    }
    finally { $ps.Runspace.Dispose(); $ps.Dispose() }
}

# The first part of an error's FullyQualifiedErrorId (the stable id the cmdlet chose).
function Get-ErrorId($ErrorRecord) { $ErrorRecord.FullyQualifiedErrorId.Split(',')[0] }

# Sample-by-sample comparison of two sequences (Should -Be is too slow and too vague for 100,000 samples).
function Assert-SameSamples($Actual, $Expected) {
    $a = [int[]]@($Actual); $b = [int[]]@($Expected)
    if ($a.Length -ne $b.Length) { throw "Expected $($b.Length) samples, got $($a.Length)" }
    for ($i = 0; $i -lt $a.Length; $i++) {
        if ($a[$i] -ne $b[$i]) { throw "Sample $i differs: expected $($b[$i]), got $($a[$i])" }
    }
}
