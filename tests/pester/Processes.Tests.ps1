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
