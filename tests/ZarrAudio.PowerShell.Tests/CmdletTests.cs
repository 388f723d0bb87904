using System.Management.Automation;
using ZarrAudio.Testing;

namespace ZarrAudio.PowerShell.Tests;

public class CmdletTests
{
    private static string Shared(string name) => Path.Combine(RepoPaths.SharedTestData, name);

    [Fact]
    public void ImportFilterReadAndLabelListPipelines()
    {
        using var dir = new TempDirectory();
        using var ps = new PowerShellSession();
        ps.Run("Mount-ZarrAudio -Path $p -Group 'g' -Create | Out-Null", new Dictionary<string, object?> { ["p"] = dir.Path });
        var imported = ps.Run("Import-Recording -LiteralPath $files -UserMeta @{ species = 'Myotis'; site = @{ name = 'cave'; depth = 12 } } -ThrottleLimit 2",
            new Dictionary<string, object?> { ["files"] = new[] { Shared("Echometer.wav"), Shared("spinetail.wav"), Shared("deermouse-go.wav") } });
        Assert.Equal(3, imported.Count);
        Assert.Empty(ps.Errors);
        Assert.Contains(ps.Progress, p => p.RecordType == ProgressRecordType.Completed && p.ActivityId == 1);

        var bats = ps.Run("Get-RecordingMeta | Where-Object { $_.User.species -eq 'Myotis' -and $_.SampleRate -ge 192000 -and $_.User.site.depth -gt 10 } | ForEach-Object SourceName");
        Assert.Equal(["deermouse-go.wav", "Echometer.wav"], bats.Cast<string>().Order(StringComparer.OrdinalIgnoreCase));

        var typed = ps.Run("$r = Get-RecordingMeta -Id 1; $r.Duration.GetType().Name; $r.Id.GetType().Name; $r.File.guano['Species Auto ID']");
        Assert.Contains("TimeSpan", typed);

        // A CSV-style label list (strings, as Import-Csv gives) binds Id, Start, Count by property name.
        var blocks = ps.Run("""
            $labels = @(
              [pscustomobject]@{ Id = '1'; Start = '1000'; Count = '256' },
              [pscustomobject]@{ Id = '2'; Start = '0'; Count = '10' },
              [pscustomobject]@{ Id = '1'; Start = '5'; Count = '1' })
            $labels | Read-Samples -ThrottleLimit 2 | ForEach-Object { '{0}:{1}:{2}:{3}' -f $_.Id, $_.Start, $_.Count, $_.Samples.GetType().Name }
            """);
        Assert.Equal(["1:1000:256:Int16[,]", "2:0:10:Int16[,]", "1:5:1:Int16[,]"], blocks);

        var single = ps.Run("Get-RecordingMeta -Id 3 | Read-Samples -AsSingle -Channel 0 | ForEach-Object { $_.Samples.GetType().Name; $_.Count }");
        Assert.Equal("Single[,]", single[0]);

        // Parallel imports number recordings in the order they finish: find the 44.1 kHz one by its source.
        var timed = ps.Run("$id = (Get-RecordingMeta | Where-Object SourceName -eq 'spinetail.wav').Id; (Read-Samples -Id $id -StartTime '00:00:01' -Duration '00:00:00.5').Count");
        Assert.Equal(44100L / 2, timed[0]);
    }

    [Fact]
    public void ZipStoreWildcardImportsDismountAndReadOnlyRemount()
    {
        using var dir = new TempDirectory();
        var incoming = Directory.CreateDirectory(dir.Combine("in [2024]")).FullName;
        File.Copy(Shared("spinetail.wav"), Path.Combine(incoming, "a.wav"));
        File.Copy(Shared("deermouse-go.wav"), Path.Combine(incoming, "b.wav"));
        File.WriteAllText(Path.Combine(incoming, "notes.txt"), "not matched by the wildcard");
        using var ps = new PowerShellSession();
        var vars = new Dictionary<string, object?> { ["zip"] = dir.Combine("survey.zip"), ["pattern"] = WildcardPath(incoming) + "/*.wav" };
        // -LiteralPath set for a .zip store; -Path with a wildcard (the folder's brackets escaped) for the files.
        ps.Run("$a = Mount-ZarrAudio -LiteralPath $zip -Group 'site/a' -Create; Import-Recording -Path $pattern | Out-Null; $a | Dismount-ZarrAudio", vars);
        Assert.Empty(ps.Errors);
        Assert.True(File.Exists(dir.Combine("survey.zip")));

        var read = ps.Run("""
            $ro = Mount-ZarrAudio -Path $zip -Group 'site/a' -ReadOnly
            $all = @(Get-RecordingMeta | ForEach-Object SourceName)
            $all.Count
            @(1, 2 | Get-RecordingMeta).Count
            @(Test-Recording | Where-Object IsValid).Count
            (Read-Samples -Id 1 -Start 10 -Count 5).Count
            """, vars);
        Assert.Equal([2, 2, 2, 5L], read);
        Assert.Contains(ps.Progress, p => p.Activity == "Test-Recording" && p.RecordType == ProgressRecordType.Completed && p.StatusDescription.Contains("2 of 2"));
        ps.Run("Set-RecordingMeta -Id 1 -UserMeta @{ x = 1 }");
        Assert.Equal("ArchiveReadOnly", Assert.Single(ps.Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    /// <summary>A literal folder path made safe inside a wildcard pattern.</summary>
    private static string WildcardPath(string path) => path.Replace("[", "`[").Replace("]", "`]");

    [Fact]
    public void SetRecordingMetaMergesReplacesAndRemoves()
    {
        using var ps = new PowerShellSession();
        ps.Run("Mount-ZarrAudio -Uri 'memory://set-meta' -Create | Out-Null; Import-Recording -Samples ([int16[]](1..100)) -SampleRate 8000 -UserMeta @{ a = 1; b = 'x' } | Out-Null");
        ps.Run("Set-RecordingMeta -Id 1 -UserMeta @{ c = $true; tags = @('owl', 'night') }");
        Assert.Equal([1L, "x", true, "night"], ps.Run("$u = (Get-RecordingMeta -Id 1).User; $u.a; $u.b; $u.c; $u.tags[1]"));
        ps.Run("Get-RecordingMeta -Id 1 | Set-RecordingMeta -Remove b");
        Assert.Equal([false], ps.Run("(Get-RecordingMeta -Id 1).User.ContainsKey('b')"));
        ps.Run("Set-RecordingMeta -Id 1 -UserMeta @{ only = 'this' } -Replace");
        Assert.Equal([1], ps.Run("(Get-RecordingMeta -Id 1).User.Count"));
        ps.Run("Set-RecordingMeta -Id 1 -UserMeta @{ x = 1 } -WhatIf");
        Assert.Equal([false], ps.Run("(Get-RecordingMeta -Id 1).User.ContainsKey('x')"));
        Assert.Empty(ps.Errors);
    }

    [Fact]
    public void ErrorsCarryStableIdsAndTheBatchGoesOn()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("notes.txt"), "not audio");
        using var ps = new PowerShellSession();
        ps.Run("Get-RecordingMeta");
        Assert.Equal("ArchiveNotMounted,ZarrAudio.PowerShell.Commands.GetRecordingMetaCommand", Assert.Single(ps.Errors).FullyQualifiedErrorId);
        ps.Errors.Clear();

        ps.Run("Mount-ZarrAudio -Path $p -Create | Out-Null", new Dictionary<string, object?> { ["p"] = dir.Combine("a") });
        var ok = ps.Run("Import-Recording -LiteralPath $files", new Dictionary<string, object?>
            { ["files"] = new[] { dir.Combine("missing.wav"), dir.Combine("notes.txt"), Shared("deermouse-go.wav") } });
        Assert.Single(ok);
        ps.Run("Import-Recording -LiteralPath $f", new Dictionary<string, object?> { ["f"] = Shared("deermouse-go.wav") });
        ps.Run("Get-RecordingMeta -Id 42; Read-Samples -Id 1 -Start 0 -Count 999999999; Read-Samples -Id 1 -Count 1 -Channel 3");
        var ids = ps.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToList();
        Assert.Equal(["PathNotFound", "UnsupportedSource", "DuplicateRecording", "RecordingNotFound", "SampleRangeOutOfBounds", "SampleRangeOutOfBounds"], ids);
        Assert.Equal(dir.Combine("missing.wav"), ps.Errors[0].TargetObject);
        Assert.Equal(ErrorCategory.ResourceExists, ps.Errors[2].CategoryInfo.Category);
        Assert.Equal("DuplicateRecordingException", ps.Errors[2].Exception.GetType().Name);

        ps.Run("Mount-ZarrAudio -Path $p -ReadOnly | Out-Null; Import-Recording -LiteralPath $f -Force",
            new Dictionary<string, object?> { ["p"] = dir.Combine("a"), ["f"] = Shared("spinetail.wav") });
        Assert.Equal("ArchiveReadOnly", ps.Errors[^1].FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void WhatIfAndConfirmProtectData()
    {
        using var ps = new PowerShellSession();
        ps.Run("Mount-ZarrAudio -Uri 'memory://whatif' -Create | Out-Null");
        Assert.Empty(ps.Run("Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -WhatIf"));
        Assert.Empty(ps.Run("Get-RecordingMeta"));
        ps.Run("Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 | Out-Null");
        ps.Run("Remove-Recording -Id 1 -WhatIf");
        Assert.Single(ps.Run("Get-RecordingMeta"));
        ps.Run("Get-RecordingMeta | Remove-Recording -Confirm:$false");
        Assert.Empty(ps.Run("Get-RecordingMeta"));
        Assert.Equal([2L], ps.Run("(Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000).Id"));
        Assert.Equal([true], ps.Run("(Test-Recording -Id 2).IsValid"));
    }

    [Fact]
    public void ManifestIsValidAndExportsExactlyTheCmdlets()
    {
        using var ps = new PowerShellSession();
        var manifest = Path.Combine(RepoPaths.Root, "ZarrAudio.psd1");
        var module = ps.Run("Test-ModuleManifest -Path $m", new Dictionary<string, object?> { ["m"] = manifest });
        Assert.Single(module);
        var names = ps.Run("(Get-Module ZarrAudio).ExportedCmdlets.Keys").Cast<string>().Order().ToList();
        Assert.Equal(["Dismount-ZarrAudio", "Export-Recording", "Get-RecordingMeta", "Import-Recording", "Mount-ZarrAudio", "Read-Samples", "Remove-Recording", "Set-RecordingMeta", "Test-Recording"], names);
    }

    [Fact]
    public void EngineAndDependenciesLoadInTheirOwnContextAndSurviveReimport()
    {
        using var ps = new PowerShellSession();
        // Mount makes the engine load; its JSON library must be the module's own copy, not PowerShell's.
        var loaded = ps.Run("""
            $archive = Mount-ZarrAudio -Uri 'memory://alc' -Create
            $alc = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($archive.GetType().Assembly)
            $alc.Name
            $json = $alc.Assemblies | Where-Object { $_.GetName().Name -eq 'System.Text.Json' }
            $json.Location
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([System.Management.Automation.PSObject].Assembly).Name
            """);
        Assert.Equal("ZarrAudio", loaded[0]);
        Assert.StartsWith(Path.Combine(RepoPaths.Root, "module", "bin", "deps"), (string)loaded[1]!);
        Assert.Equal("Default", loaded[2]);

        // Import-Module -Force must leave every cmdlet exported and working.
        var manifest = Path.Combine(RepoPaths.Root, "ZarrAudio.psd1");
        var again = ps.Run("Import-Module $m -Force; (Get-Module ZarrAudio).ExportedCmdlets.Count; (Import-Recording -Samples ([int16[]](1..10)) -SampleRate 8000 -Archive $archive).Id",
            new Dictionary<string, object?> { ["m"] = manifest });
        Assert.Equal([9, 1L], again);
        Assert.Empty(ps.Errors);
    }

    [Fact]
    public void QuickstartRunsInTheHostAndExitsZero()
    {
        using var dir = new TempDirectory();
        var output = ProcessRunner.Run(Path.Combine(RepoPaths.Root, "zarraudio"),
            ["-File", Path.Combine(RepoPaths.Root, "examples", "quickstart.ps1"), "-ArchivePath", dir.Combine("demo")]);
        Assert.Contains("valid: True", output);
        Assert.DoesNotContain("valid: False", output);
    }
}
