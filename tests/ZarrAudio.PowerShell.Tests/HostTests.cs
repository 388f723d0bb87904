using ZarrAudio.Testing;

namespace ZarrAudio.PowerShell.Tests;

/// <summary>The zarraudio host as a user runs it: help, the shipped scripts, exit codes.</summary>
public class HostTests
{
    private static readonly string Host = Path.Combine(RepoPaths.Root, "zarraudio");
    private static string Shared(string name) => Path.Combine(RepoPaths.SharedTestData, name);

    [Fact]
    public void GetHelpShowsExamplesForEveryCmdletAndTheAboutTopic()
    {
        var examples = ProcessRunner.Run(Host, ["-Command", "Get-Help Read-Samples -Examples"]);
        Assert.Contains("Example 3: Read a label list of segments in parallel", examples);
        Assert.Contains("Import-Csv ./labels.csv | Read-Samples -ThrottleLimit 2", examples);

        // Every exported cmdlet has a synopsis, at least two examples and text for every parameter.
        var counts = ProcessRunner.Run(Host, ["-Command", """
            foreach ($name in (Get-Module ZarrAudio).ExportedCmdlets.Keys) {
                $help = Get-Help $name -Full
                $undocumented = @($help.parameters.parameter | Where-Object { -not $_.description }).Count
                '{0} {1} {2} {3}' -f $name, @($help.examples.example).Count, $undocumented, ($help.Synopsis -notlike "*$name*")
            }
            """]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, counts.Length);
        foreach (var line in counts)
        {
            var parts = line.Trim().Split(' ');
            Assert.True(int.Parse(parts[1]) >= 1, $"{parts[0]} has no examples");
            Assert.True(parts[2] == "0", $"{parts[0]} has undocumented parameters");
            Assert.True(parts[3] == "True", $"{parts[0]} has no synopsis");
        }
        Assert.Contains("PERFORMANCE MODEL", ProcessRunner.Run(Host, ["-Command", "Get-Help about_ZarrAudio"]));
    }

    [Fact]
    public void IngestImportsNewFilesLogsAndFailsOnBadOnes()
    {
        using var dir = new TempDirectory();
        var incoming = Directory.CreateDirectory(dir.Combine("incoming")).FullName;
        File.Copy(Shared("spinetail.wav"), Path.Combine(incoming, "spinetail.wav"));
        File.Copy(Shared("deermouse-go.wav"), Path.Combine(incoming, "deermouse-go.wav"));
        File.WriteAllText(Path.Combine(incoming, "broken.wav"), "not audio");
        var script = Path.Combine(RepoPaths.Root, "examples", "ingest.ps1");
        string[] args = ["-File", script, "-Source", incoming, "-ArchivePath", dir.Combine("archive"), "-LogPath", dir.Combine("ingest.log")];

        var first = ProcessRunner.Execute(Host, args);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains("2 imported, 0 skipped, 1 failed", first.Stdout);
        var log = File.ReadAllText(dir.Combine("ingest.log"));
        Assert.Contains("[UnsupportedSource]", log);
        Assert.Matches(@"IMPORTED +\S+spinetail\.wav id \d+ \(44100 Hz, 1 ch", log);

        // Next run: the broken file is gone, a copy of an imported file arrives under another name.
        File.Delete(Path.Combine(incoming, "broken.wav"));
        File.Copy(Shared("spinetail.wav"), Path.Combine(incoming, "spinetail-copy.wav"));
        var second = ProcessRunner.Execute(Host, args);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("0 imported, 3 skipped, 0 failed", second.Stdout);
        Assert.Contains("(2 already known)", second.Stdout);

        var count = ProcessRunner.Run(Host, ["-Command", $"Mount-ZarrAudio -Path '{dir.Combine("archive")}' | Out-Null; @(Get-RecordingMeta).Count"]);
        Assert.Equal("2", count.Trim());
    }

    [Fact]
    public void ExitCodesFollowPwsh()
    {
        Assert.Equal(3, ProcessRunner.Execute(Host, ["-NoModule", "-Command", "exit 3"]).ExitCode);
        var thrown = ProcessRunner.Execute(Host, ["-NoModule", "-Command", "throw 'boom'"]);
        Assert.Equal(1, thrown.ExitCode);
        Assert.Contains("boom", thrown.Stderr);
        var badParameter = ProcessRunner.Execute(Host, ["-File", Path.Combine(RepoPaths.Root, "examples", "ingest.ps1"), "-NoSuchParameter", "x"]);
        Assert.Equal(1, badParameter.ExitCode);
        Assert.Contains("NoSuchParameter", badParameter.Stderr);
        Assert.Equal(0, ProcessRunner.Execute(Host, ["-Command", "Write-Output 'fine'"]).ExitCode);
    }
}
