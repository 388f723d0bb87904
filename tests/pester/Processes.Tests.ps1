BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Pwsh = Join-Path $PSHOME 'pwsh'

    # Starts a pwsh (the real one, not the tool shim: a kill must hit the process that does the work) running
    # $Script after importing the module; returns the process once it printed 'ready'.
    function Start-Worker([string] $Script, [string] $Name) {
        $out = Join-Path $TestDrive "$Name.out"
        $full = "Import-Module '$Manifest'`n$Script"
        $process = Start-Process -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $full -PassThru -RedirectStandardOutput $out -RedirectStandardError (Join-Path $TestDrive "$Name.err")
        $deadline = (Get-Date).AddSeconds(60)
        while (-not ((Get-Content -LiteralPath $out -ErrorAction SilentlyContinue) -match 'ready')) {
            if ((Get-Date) -gt $deadline -or $process.HasExited) { throw "worker $Name did not start: $(Get-Content -Raw -LiteralPath (Join-Path $TestDrive "$Name.err") -ErrorAction SilentlyContinue)" }
            Start-Sleep -Milliseconds 100
        }
        $process
    }
}

# Issue 9, item 4: two processes importing into one .zip both got id 2 and one import was lost, with no error.
Describe 'A zip archive has one writer at a time' {
    It 'refuses a second writer with ArchiveBusy, allows readers, and takes over after the writer is killed' {
        $zip = Join-Path $TestDrive 'shared.zip'
        $null = Mount-ZarrAudio -Path $zip -Create
        $null = Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000 -Name first
        Dismount-ZarrAudio

        $writer = Start-Worker -Name writer -Script @"
Mount-ZarrAudio -Path '$zip' | Out-Null
Import-Recording -Samples ([int16[]](1..200)) -SampleRate 8000 -Name second | Out-Null
'ready'
Start-Sleep -Seconds 120
"@
        try {
            $e = { Mount-ZarrAudio -Path $zip } | Should -Throw -ErrorId 'ArchiveBusy,*' -PassThru
            $e.Exception.Message | Should -Match "process $($writer.Id)"
            # Reading is fine, and sees what the writer stored (it writes the zip as each cmdlet ends).
            $reader = Mount-ZarrAudio -Path $zip -ReadOnly
            (Get-RecordingMeta -Archive $reader).SourceName | Should -Be @('first', 'second')
            Dismount-ZarrAudio -All
        }
        finally {
            Stop-Process -Id $writer.Id -Force
            $writer.WaitForExit()
        }
        # The killed writer's lock is recognised as stale: a new writer gets id 3, and nothing is lost.
        $null = Mount-ZarrAudio -Path $zip
        (Import-Recording -Samples ([int16[]](1..300)) -SampleRate 8000 -Name third).Id | Should -Be 3
        Dismount-ZarrAudio
        $check = Mount-ZarrAudio -Path $zip -ReadOnly
        (Get-RecordingMeta -Archive $check).SampleCount | Should -Be @(100, 200, 300)
        Dismount-ZarrAudio
        "$zip.lock" | Should -Not -Exist
    }
}

# Issue 9, item 1: a reader in one process got plausible but wrong samples (590 of 2,376 reads) while another
# process removed the recording. Each sample here is a known function of its index, so any read checks itself.
Describe 'Reading while another process removes the recording' {
    It 'gets exact samples or RecordingNotFound, never wrong samples' {
        $folder = Join-Path $TestDrive 'shared-dir'
        $null = Mount-ZarrAudio -Path $folder -Create
        $n = 48000 * 30
        $samples = [int16[]]::new($n * 2)
        for ($i = 0; $i -lt $samples.Length; $i++) { $samples[$i] = [int16](($i * 7919) % 65536 - 32768) }
        $2d = [int16[,]]::new($n, 2)
        [Buffer]::BlockCopy($samples, 0, $2d, 0, $samples.Length * 2)
        $null = Import-Recording -Samples $2d -SampleRate 48000 -Name pattern
        Dismount-ZarrAudio

        $result = Join-Path $TestDrive 'reader.json'
        $reader = Start-Worker -Name reader -Script @"
Mount-ZarrAudio -Path '$folder' | Out-Null
`$random = [Random]::new(5); `$counts = @{ exact = 0; notFound = 0; wrong = 0; other = @() }
`$null = Read-Samples -Id 1 -Start 0 -Count 10
'ready'
`$stop = (Get-Date).AddSeconds(4)
while ((Get-Date) -lt `$stop) {
    `$start = `$random.Next(0, $n - 4800)
    try { `$b = Read-Samples -Id 1 -Start `$start -Count 4800 -ErrorAction Stop }
    catch { if (`$_.FullyQualifiedErrorId -like 'RecordingNotFound,*') { `$counts.notFound++ } else { `$counts.other += `$_.FullyQualifiedErrorId }; continue }
    `$ok = `$true
    foreach (`$k in 0, 1234, 4799) { foreach (`$c in 0, 1) { if (`$b.Samples[`$k, `$c] -ne [int16]((((`$start + `$k) * 2 + `$c) * 7919) % 65536 - 32768)) { `$ok = `$false } } }
    if (`$ok) { `$counts.exact++ } else { `$counts.wrong++ }
}
`$counts | ConvertTo-Json | Set-Content -LiteralPath '$result'
"@
        Start-Sleep -Milliseconds 800
        $null = Mount-ZarrAudio -Path $folder
        Remove-Recording -Id 1 -Confirm:$false
        Dismount-ZarrAudio
        $reader.WaitForExit()
        $counts = Get-Content -LiteralPath $result -Raw | ConvertFrom-Json
        $counts.wrong | Should -Be 0
        $counts.other | Should -BeNullOrEmpty
        $counts.exact | Should -BeGreaterThan 0
        $counts.notFound | Should -BeGreaterThan 0
    }
}

# Issue 9: processes killed at random moments. What must hold after each kill: every listed recording reads back
# exactly, what was stored before is byte-identical, nothing half-imported is visible, and repair clears the rest.
Describe 'Imports killed at random moments' {
    It 'keeps the archive exact through <Rounds> kills' -ForEach @(@{ Rounds = 4 }) {
        $folder = Join-Path $TestDrive 'random-kills'
        $sources = 1..4 | ForEach-Object { New-TestWav (Join-Path $TestDrive "src$_.wav") -Rate 48000 -Channels 2 -Seconds (8 + $_) }
        $null = Mount-ZarrAudio -Path $folder -Create
        $first = Import-Recording -LiteralPath $sources[0]
        Dismount-ZarrAudio
        $firstFiles = Get-ChildItem -LiteralPath (Join-Path $folder '1') -Recurse -File | Sort-Object FullName
        $firstHashes = $firstFiles | ForEach-Object { (Get-FileHash -LiteralPath $_.FullName).Hash }
        $random = [Random]::new(42)
        foreach ($round in 1..$Rounds) {
            $list = ($sources[1..3] | ForEach-Object { "'$_'" }) -join ','
            $worker = Start-Worker -Name "kill$round" -Script @"
Mount-ZarrAudio -Path '$folder' | Out-Null
'ready'
Import-Recording -LiteralPath $list -Force -ThrottleLimit 2 | Out-Null
"@
            Start-Sleep -Milliseconds $random.Next(50, 1500)
            if (-not $worker.HasExited) { Stop-Process -Id $worker.Id -Force }
            $worker.WaitForExit()

            $archive = Mount-ZarrAudio -Path $folder -ReadOnly
            foreach ($r in Get-RecordingMeta -Archive $archive) {
                $stored = (Read-Samples -Archive $archive -Id $r.Id).Samples
                $flat = [int16[]]::new($stored.Length); [Buffer]::BlockCopy($stored, 0, $flat, 0, $stored.Length * 2)
                Assert-SameSamples $flat (Get-DecodedInt16 $r.SourcePath)
            }
            Dismount-ZarrAudio
            (Get-ChildItem -LiteralPath (Join-Path $folder '1') -Recurse -File | Sort-Object FullName | ForEach-Object { (Get-FileHash -LiteralPath $_.FullName).Hash }) |
                Should -Be $firstHashes
        }
        # Killed writes leave temporary files, which repair removes once they are ten minutes old: age them.
        Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '.zarraudio-tmp-*' | ForEach-Object { $_.LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-1) }
        Get-ChildItem -LiteralPath $folder -Recurse -Directory | Where-Object { -not (Get-ChildItem -LiteralPath $_.FullName -Force) } |
            ForEach-Object { $_.LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-1) }
        $null = Mount-ZarrAudio -Path $folder
        $null = Repair-ZarrAudio -Confirm:$false
        Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '.zarraudio-tmp-*' | Should -BeNullOrEmpty
        # After repair, every id directory is a committed recording or (only the highest) a claim.
        foreach ($dir in Get-ChildItem -LiteralPath $folder -Directory | Where-Object Name -match '^\d+$') {
            $committed = Test-Path -LiteralPath (Join-Path $dir.FullName 'zarr.json')
            $onlyClaim = @(Get-ChildItem -LiteralPath $dir.FullName -Force).Name -join ',' -eq 'claim.json'
            ($committed -or $onlyClaim) | Should -BeTrue -Because "id $($dir.Name) must be committed or an unused claim (it holds: $((Get-ChildItem -LiteralPath $dir.FullName -Recurse -Force).FullName -join ', '))"
        }
        Test-Recording | Where-Object { -not $_.IsValid } | Should -BeNullOrEmpty
        Dismount-ZarrAudio
    }
}
