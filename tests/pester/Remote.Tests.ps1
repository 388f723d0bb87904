BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The servers' data lives outside TestDrive: Pester empties TestDrive between Describe blocks, which took Azurite's
    # blob files from under it (HTTP 500 on the next write).
    $script:ServerData = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "zarraudio-servers-$PID-$([guid]::NewGuid().ToString('N'))")).FullName
    $script:S3 = Start-TestServer s3 (Join-Path $ServerData s3)
    $script:Azure = Start-TestServer azure (Join-Path $ServerData azure)
    $script:WebRoot = (New-Item -ItemType Directory -Path (Join-Path $ServerData web)).FullName
    $script:Web = Start-TestServer nginx $WebRoot
    $script:S3Key = [pscredential]::new('S3RVER', (ConvertTo-SecureString 'S3RVER' -AsPlainText -Force))
    $script:Wav = New-TestWav (Join-Path $TestDrive 'tone.wav') -Rate 16000 -Channels 2 -Seconds 2
    $script:Expected = Get-DecodedInt16 $Wav
}

AfterAll {
    Dismount-ZarrAudio -All
    Stop-TestServer $S3; Stop-TestServer $Azure; Stop-TestServer $Web
    Remove-Item -LiteralPath $ServerData -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Every cmdlet on an archive in object storage' {
    It 'imports, lists, reads, sets, exports, tests and removes on Azure Blob (<Codec>)' -ForEach @(@{ Codec = 'Flac' }, @{ Codec = 'Pcm' }) {
        $location = "az://devstoreaccount1/archive/$([guid]::NewGuid().ToString('N'))"
        $archive = Mount-ZarrAudio $location -Create -ConnectionString $Azure.ConnectionString
        $r = Import-Recording -LiteralPath $Wav -Codec $Codec
        $r.Id | Should -Be 1
        Set-RecordingMeta -Id 1 -UserMeta @{ species = 'Strix aluco' }
        Dismount-ZarrAudio -Archive $archive
        $fresh = Mount-ZarrAudio $location -ConnectionString $Azure.ConnectionString
        $listed = @(Get-RecordingMeta -Archive $fresh | Where-Object { $_.User.species -eq 'Strix aluco' })
        $listed.Id | Should -Be @(1)
        $block = Read-Samples -Archive $fresh -Id 1
        Assert-SameSamples ([int[]]@(for ($i = 0; $i -lt $block.Channel[0].Length; $i++) { $block.Channel[0][$i]; $block.Channel[1][$i] })) $Expected
        (Test-Recording -Archive $fresh -Id 1).IsValid | Should -BeTrue
        $out = Join-Path $TestDrive "$Codec.flac"
        Export-Recording -Archive $fresh -Id 1 -Destination $out
        Assert-SameSamples (Get-DecodedInt16 $out) $Expected
        Remove-Recording -Archive $fresh -Id 1 -Confirm:$false
        @(Get-RecordingMeta -Archive $fresh).Count | Should -Be 0
    }

    It 'refuses to write to s3rver (no exclusive create) unless mounted -SingleWriter, and then warns' {
        $location = "s3://archive/$([guid]::NewGuid().ToString('N'))"
        { Mount-ZarrAudio $location -Create -Endpoint $S3.Endpoint -Credential $S3Key -ErrorAction Stop } |
            Should -Throw -ErrorId 'StoreWithoutExclusiveCreate,ZarrAudio.PowerShell.Commands.MountZarrAudioCommand'
        $archive = Mount-ZarrAudio $location -Create -Endpoint $S3.Endpoint -Credential $S3Key -SingleWriter -WarningVariable mountWarnings -WarningAction SilentlyContinue
        $mountWarnings | Should -Match 'SingleWriter'
        $r = Import-Recording -Archive $archive -LiteralPath $Wav -WarningVariable importWarnings -WarningAction SilentlyContinue
        $importWarnings | Should -Match 'does not refuse a second exclusive create'
        $block = Read-Samples -Archive $archive -Id $r.Id -Start 1000 -Count 10
        $block.Channel[0] | Should -Be @(for ($i = 1000; $i -lt 1010; $i++) { $Expected[2 * $i] })
        $reader = Mount-ZarrAudio $location -Endpoint $S3.Endpoint -Credential $S3Key -ReadOnly
        (Get-RecordingMeta -Archive $reader).Id | Should -Be @(1)
    }

    It 'reads an archive published over HTTP and refuses to change it' {
        $name = [guid]::NewGuid().ToString('N')
        $null = Mount-ZarrAudio -Path (Join-Path $WebRoot $name) -Create
        $null = Import-Recording -LiteralPath $Wav
        $published = Mount-ZarrAudio "$($Web.Endpoint)$name"
        $published.IsReadOnly | Should -BeTrue
        (Get-RecordingMeta -Archive $published).Id | Should -Be @(1)
        (Test-Recording -Archive $published -Id 1).IsValid | Should -BeTrue
        $err = $null
        Import-Recording -Archive $published -LiteralPath $Wav -Force -ErrorVariable err -ErrorAction SilentlyContinue
        Get-ErrorId $err[0] | Should -Be 'ArchiveReadOnly'
        $err[0].Exception.Message | Should -Match 'HTTP, which only reads: change it where it is written'
        { Mount-ZarrAudio "$($Web.Endpoint)nothing-here" -ErrorAction Stop } | Should -Throw -ErrorId 'ArchiveNotFound,ZarrAudio.PowerShell.Commands.MountZarrAudioCommand'
    }
}

Describe 'Bad locations and credentials' {
    It 'names the location and keeps the secret out of the error (<Case>)' -ForEach @(
        @{ Case = 'wrong Azure key'; Id = 'AccessDenied'; Make = { @{ Path = 'az://devstoreaccount1/archive/x'; Endpoint = "$($Azure.Endpoint)devstoreaccount1/"; Credential = [pscredential]::new('devstoreaccount1', (ConvertTo-SecureString 'V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5' -AsPlainText -Force)) } } }
        @{ Case = 'missing container'; Id = 'StoreNotFound'; Make = { @{ Path = 'az://devstoreaccount1/nocontainer/x'; ConnectionString = $Azure.ConnectionString } } }
        @{ Case = 'missing bucket'; Id = 'StoreNotFound'; Make = { @{ Path = 's3://nobucket/x'; Endpoint = $S3.Endpoint; Credential = $S3Key } } }
        @{ Case = 'unreachable server'; Id = 'StoreUnavailable'; Make = { @{ Path = 'http://127.0.0.1:9/archive' } } }
        @{ Case = 'container name too short'; Id = 'InvalidStoreAddress'; Make = { @{ Path = 'az://devstoreaccount1/ab/x'; ConnectionString = $Azure.ConnectionString } } }
    ) {
        $params = & $Make
        $err = $null
        try { Mount-ZarrAudio @params -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        Get-ErrorId $err | Should -Be $Id
        $err.Exception.Message | Should -Match ([regex]::Escape(($params.Path -split '/')[2]))
        $text = ($err | Out-String) + $err.Exception.ToString()
        $text | Should -Not -Match 'V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5'
        $text | Should -Not -Match 'Eby8vdM02xNOcqFlqUw'
    }
}

Describe 'Leases across hosts' {
    It 'leaves a killed import of another host alone while its lease holds, and repairs it once it ran out' {
        $big = Join-Path $TestDrive 'big.wav'
        & sox -n -r 96000 -b 24 -c 2 $big synth 240 whitenoise vol 0.3
        $location = "az://devstoreaccount1/archive/$([guid]::NewGuid().ToString('N'))"
        $archive = Mount-ZarrAudio $location -Create -ConnectionString $Azure.ConnectionString
        $script = @"
Import-Module '$Manifest'
`$null = Mount-ZarrAudio '$location' -ConnectionString '$($Azure.ConnectionString)' -ClaimLease 00:00:03
Import-Recording -LiteralPath '$big'
"@
        $env:ZARRAUDIO_HOST = 'node-17'
        try { $child = Start-Process -FilePath (Join-Path $PSHOME 'pwsh') -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -PassThru }
        finally { Remove-Item Env:ZARRAUDIO_HOST }
        $deadline = (Get-Date).AddSeconds(60)
        while (-not $archive.Store.ExistsAsync('1/flac0/zarr.json').AsTask().GetAwaiter().GetResult() -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $child.HasExited | Should -BeFalse
        $child.Kill($true); $child.WaitForExit()
        # Another host's import, its lease still holding: a repair now leaves it alone.
        @(Repair-ZarrAudio -Confirm:$false | Where-Object Kind -eq 'UncommittedData') | Should -BeNullOrEmpty
        $archive.Store.ExistsAsync('1/flac0/zarr.json').AsTask().GetAwaiter().GetResult() | Should -BeTrue
        Start-Sleep -Seconds 4
        $repaired = @(Repair-ZarrAudio -Confirm:$false)
        $repaired.Kind | Should -Contain 'UncommittedData'
        $archive.Store.ExistsAsync('1/flac0/zarr.json').AsTask().GetAwaiter().GetResult() | Should -BeFalse
        (Import-Recording -LiteralPath $Wav).Id | Should -Be 2
    }
}

Describe 'Secrets stay out of every stream' {
    It 'shows no key in -Verbose output, warnings or the archive object of a mount, import and listing' {
        $location = "az://devstoreaccount1/archive/$([guid]::NewGuid().ToString('N'))"
        $output = & {
            $a = Mount-ZarrAudio $location -Create -ConnectionString $Azure.ConnectionString -Verbose
            $a | Format-List * | Out-String
            Import-Recording -Archive $a -LiteralPath $Wav -Verbose | Format-List * | Out-String
            Get-RecordingMeta -Archive $a -Verbose | ConvertTo-Json -Depth 10
            $s3 = Mount-ZarrAudio "s3://archive/$([guid]::NewGuid().ToString('N'))" -Create -Endpoint $S3.Endpoint -Credential ([pscredential]::new('S3RVER', (ConvertTo-SecureString 'S3RVER-secret-7781' -AsPlainText -Force))) -SingleWriter -Verbose
            $s3 | Format-List * | Out-String
        } *>&1 | Out-String
        $output | Should -Match 'Mounting az://devstoreaccount1/archive'
        $output | Should -Not -Match 'Eby8vdM02xNOcqFlqUw'
        $output | Should -Not -Match 'AccountKey'
        $output | Should -Not -Match 'S3RVER-secret-7781'
    }
}

Describe 'The Slurm examples, run as two array tasks at once without Slurm' {
    It 'imports a file list split across tasks into one Azure archive, then reads a label list split across tasks' {
        $work = New-TestFolder slurm
        $files = foreach ($i in 0..5) { New-TestWav (Join-Path $work "f$i.wav") -Rate 8000 -Seconds (1 + $i / 10) }
        $files | Set-Content -LiteralPath (Join-Path $work 'files.txt')
        $location = "az://devstoreaccount1/archive/$([guid]::NewGuid().ToString('N'))"
        $null = Mount-ZarrAudio $location -Create -ConnectionString $Azure.ConnectionString
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azure.ConnectionString
        $env:ZARRAUDIO_MODULE = $Manifest
        $env:SLURM_ARRAY_TASK_COUNT = '2'
        try {
            $tasks = foreach ($k in 0, 1) {
                $env:SLURM_ARRAY_TASK_ID = "$k"
                Start-Process bash -ArgumentList (Join-Path $RepoRoot 'examples/slurm-import.sh'), (Join-Path $work 'files.txt'), $location -WorkingDirectory $work -PassThru
            }
            $tasks | ForEach-Object { $_.WaitForExit(); $_.ExitCode | Should -Be 0 }
            $all = @(Get-RecordingMeta)
            $all.Count | Should -Be 6
            @($all.SourcePath | Sort-Object) | Should -Be @($files | Sort-Object)
            'id,start,count,label', '1,100,800,owl', '2,0,400,wind', '3,50,10,frog' | Set-Content -LiteralPath (Join-Path $work 'labels.csv')
            $tasks = foreach ($k in 0, 1) {
                $env:SLURM_ARRAY_TASK_ID = "$k"
                Start-Process bash -ArgumentList (Join-Path $RepoRoot 'examples/slurm-read.sh'), (Join-Path $work 'labels.csv'), $location, (Join-Path $work 'out') -PassThru
            }
            $tasks | ForEach-Object { $_.WaitForExit(); $_.ExitCode | Should -Be 0 }
            $owl = [IO.File]::ReadAllBytes((Join-Path $work 'out/0_1_owl.f32'))
            $owl.Length | Should -Be (800 * 4)
            $expected = (Read-Samples -Id 1 -Start 100 -Count 800 -AsSingle).Channel[0]
            [BitConverter]::ToSingle($owl, 4 * 123) | Should -Be $expected[123]
            (Get-Item (Join-Path $work 'out/2_3_frog.f32')).Length | Should -Be 40
        }
        finally {
            Remove-Item Env:ZARRAUDIO_MODULE, Env:SLURM_ARRAY_TASK_COUNT, Env:SLURM_ARRAY_TASK_ID -ErrorAction SilentlyContinue
        }
    }
}
