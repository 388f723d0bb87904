# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports ./ZarrAudio.psd1 exactly as a user does, and gives
# helpers for temporary folders, test audio (sox), ffmpeg decodes and captured streams.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Manifest = Join-Path $RepoRoot 'ZarrAudio.psd1'
$script:TestDataFolder = Join-Path $RepoRoot 'tests/data'
if (-not (Test-Path -LiteralPath (Join-Path $RepoRoot 'module/bin/deps/ZarrAudio.PowerShell.dll'))) {
    throw 'The module is not built: run ./build.ps1 -Task Build (the Test task does).'
}
Import-Module $Manifest -Force -ErrorAction Stop

# A field recording kept in the repository (tests/data/SOURCES.md names each one's source and licence).
function TestData([string] $Name) { Join-Path $TestDataFolder $Name }

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

# A WAV written byte by byte (sox cannot make these): Format 1 is integer PCM, 3 is float. -Data goes after the
# header; -Length, when longer, extends the file with zeros without writing them (a sparse file: gigabytes of
# near silence at no disk cost).
function New-RawWav([string] $Path, [int] $Format = 1, [int] $Rate = 48000, [int] $Channels = 1, [int] $Bits = 16,
    [byte[]] $Data = @(), [long] $Length = 0) {
    $dataBytes = [Math]::Max($Data.Length, $Length)
    $blockAlign = $Channels * $Bits / 8
    $stream = [IO.File]::Create($Path)
    try {
        $w = [IO.BinaryWriter]::new($stream)
        $w.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $w.Write([uint32](36 + $dataBytes)); $w.Write([Text.Encoding]::ASCII.GetBytes('WAVEfmt '))
        $w.Write([uint32]16); $w.Write([uint16]$Format); $w.Write([uint16]$Channels); $w.Write([uint32]$Rate); $w.Write([uint32]($Rate * $blockAlign))
        $w.Write([uint16]$blockAlign); $w.Write([uint16]$Bits)
        $w.Write([Text.Encoding]::ASCII.GetBytes('data')); $w.Write([uint32]$dataBytes); $w.Write($Data); $w.Flush()
        $stream.SetLength(44 + $dataBytes)
    }
    finally { $stream.Dispose() }
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

# A real server on 127.0.0.1 (s3rver, Azurite or nginx) through tests/servers/serve.mjs, as the xunit tests start them.
# Stop it with Stop-TestServer; -Throttle answers more than that many requests a second with 503.
function Start-TestServer([ValidateSet('s3', 'azure', 'nginx')] [string] $Kind, [string] $Data, [int] $Throttle = 0) {
    $info = [Diagnostics.ProcessStartInfo]::new('node')
    foreach ($a in @((Join-Path $RepoRoot 'tests/servers/serve.mjs'), $Kind, '--data', $Data) + $(if ($Throttle) { '--throttle', "$Throttle" } else { @() })) {
        $info.ArgumentList.Add($a)
    }
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLine()
    if (-not $line) { throw "The $Kind test server did not start." }
    $endpoint = ($line | ConvertFrom-Json).endpoint
    [pscustomobject]@{
        Kind = $Kind; Process = $process; Endpoint = [uri]$endpoint; Data = $Data
        # Azurite's development account and its well-known key, as Microsoft's Azurite documentation publishes them.
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=$endpoint/devstoreaccount1;"
    }
}

function Stop-TestServer($Server) {
    if (-not $Server) { return }
    $Server.Process.StandardInput.Close()
    if (-not $Server.Process.WaitForExit(40000)) { $Server.Process.Kill($true) }
}

# The real pwsh, not the tool shim: strace and kill must reach the worker.
$script:Pwsh = Join-Path $PSHOME 'pwsh'

# Runs $Script in a pwsh that has imported the module and run $Setup, under strace (-f) attached only then, so the
# system calls of pwsh's own start-up are not traced; returns the worker's exit code.
function Invoke-Traced([string] $Setup, [string] $Script, [string[]] $StraceArguments) {
    $go = Join-Path $TestDrive "go-$([guid]::NewGuid().ToString('N'))"
    $out = Join-Path $TestDrive "traced-$([guid]::NewGuid().ToString('N')).out"
    $full = "Import-Module '$Manifest'; $Setup; 'ready'; while (-not (Test-Path -LiteralPath '$go')) { Start-Sleep -Milliseconds 20 }; $Script"
    $worker = Start-Process -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $full -PassThru -RedirectStandardOutput $out
    while (-not ((Get-Content -LiteralPath $out -ErrorAction SilentlyContinue) -match 'ready')) {
        if ($worker.HasExited) { throw "the worker ended before it was ready: $(Get-Content -LiteralPath $out -Raw)" }
        Start-Sleep -Milliseconds 50
    }
    $log = "$out.strace"
    $tracer = Start-Process -FilePath strace -ArgumentList (@('-f', '-p', $worker.Id) + $StraceArguments) -PassThru -RedirectStandardError $log
    $deadline = (Get-Date).AddSeconds(20)
    while (-not ((Get-Content -LiteralPath $log -ErrorAction SilentlyContinue) -match 'attached') -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
    Start-Sleep -Milliseconds 300 # every thread attached
    Set-Content -LiteralPath $go -Value go
    $worker.WaitForExit()
    $tracer.WaitForExit()
    $worker.ExitCode
}

# Runs $Script on the archive in $Folder in a pwsh killed (SIGKILL) at the Nth of the given system calls.
function Invoke-KilledAt([string] $Folder, [string] $Script, [string] $Calls, [int] $When, [switch] $Create) {
    Invoke-Traced -Setup "Mount-ZarrAudio -Path '$Folder' $(if ($Create) { '-Create' }) | Out-Null" -Script $Script `
        -StraceArguments '-o', '/dev/null', '-e', "trace=$Calls", '-e', "inject=${Calls}:signal=KILL:when=$When"
}
