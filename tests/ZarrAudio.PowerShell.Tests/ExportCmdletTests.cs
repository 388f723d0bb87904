using System.Management.Automation;
using System.Runtime.InteropServices;
using ZarrAudio.Testing;

namespace ZarrAudio.PowerShell.Tests;

public class ExportCmdletTests
{
    /// <summary>ffmpeg's decode of an exported file as 16-bit samples, interleaved.</summary>
    private static short[] Decode(TempDirectory dir, string path)
    {
        var raw = dir.Combine(Guid.NewGuid().ToString("N") + ".raw");
        ProcessRunner.Run("ffmpeg", ["-v", "error", "-i", path, "-f", "s16le", "-c:a", "pcm_s16le", raw]);
        return MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(raw)).ToArray();
    }

    [Fact]
    public void RecordingsAndLabelRowsExportSampleExact()
    {
        using var dir = new TempDirectory();
        var source = dir.Combine("marsh wren.wav");
        ProcessRunner.Run("sox", ["-n", "-r", "32000", "-b", "16", "-c", "2", source, "synth", "3", "whitenoise", "vol", "0.3"]);
        var output = Directory.CreateDirectory(dir.Combine("out")).FullName;
        using var ps = new PowerShellSession();
        var vars = new Dictionary<string, object?> { ["src"] = source, ["out"] = output };
        ps.Run("Mount-ZarrAudio -Uri 'memory://export-test' -Create | Out-Null; Import-Recording -LiteralPath $src | Out-Null", vars);

        // A recording object exports whole, named after its source, in the format of -Format.
        var whole = ps.Run("Get-RecordingMeta -Id 1 | Export-Recording -Destination $out -Format flac", vars);
        var wholeFile = Assert.IsType<FileInfo>(Assert.Single(whole));
        Assert.Equal("marsh wren.flac", wholeFile.Name);
        Assert.Equal(Decode(dir, source), Decode(dir, wholeFile.FullName));
        Assert.Contains(ps.Progress, p => p.Activity.StartsWith("Export-Recording") && p.RecordType == ProgressRecordType.Completed);

        // Label rows (strings, as Import-Csv gives) export their ranges, named with start-end sample indexes.
        var parts = ps.Run("""
            @([pscustomobject]@{ Id = '1'; Start = '1000'; Count = '3200' },
              [pscustomobject]@{ Id = '1'; Start = '50000'; Count = '7' }) | Export-Recording -Destination $out | ForEach-Object Name
            """, vars);
        Assert.Equal(["marsh wren_1000-4200.wav", "marsh wren_50000-50007.wav"], parts);
        var expected = ps.Run("(Read-Samples -Id 1 -Start 1000 -Count 3200).Samples").Select(o => (short)o!).ToArray();
        Assert.Equal(expected, Decode(dir, Path.Combine(output, "marsh wren_1000-4200.wav")));

        // One channel by time, to a named file.
        ps.Run("Export-Recording 1 ($out + '/left.wav') -StartTime 0:0:1 -Duration 0:0:0.5 -Channel 0", vars);
        var left = ps.Run("(Read-Samples -Id 1 -Start 32000 -Count 16000 -Channel 0).Samples").Select(o => (short)o!).ToArray();
        Assert.Equal(left, Decode(dir, Path.Combine(output, "left.wav")));
        Assert.Empty(ps.Errors);
    }

    [Fact]
    public void ExportProtectsExistingFilesAndReportsBadTargets()
    {
        using var dir = new TempDirectory();
        using var ps = new PowerShellSession();
        var vars = new Dictionary<string, object?> { ["out"] = dir.Path, ["file"] = dir.Combine("x.wav") };
        ps.Run("Mount-ZarrAudio -Uri 'memory://export-errors' -Create | Out-Null; Import-Recording -Samples ([int16[]](1..8000)) -SampleRate 8000 -Name clip | Out-Null");
        Assert.Empty(ps.Run("Export-Recording -Id 1 -Destination $file -WhatIf", vars));
        Assert.False(File.Exists(dir.Combine("x.wav")));

        ps.Run("Export-Recording -Id 1 -Destination $file | Out-Null; Export-Recording -Id 1 -Destination $file -NoClobber", vars);
        ps.Run("Export-Recording -Id 1 -Destination ($out + '/x.nosuchformat')", vars);
        ps.Run("Export-Recording -Id 1 -Destination ($out + '/missing/x.wav')", vars);
        ps.Run("Export-Recording -Id 9 -Destination $out; Export-Recording -Id 1 -Start 7999 -Count 2 -Destination $out", vars);
        var ids = ps.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToList();
        Assert.Equal(["ExportTargetExists", "UnsupportedExportFormat", "PathNotFound", "RecordingNotFound", "SampleRangeOutOfBounds"], ids);
        Assert.Equal(ErrorCategory.ResourceExists, ps.Errors[0].CategoryInfo.Category);

        // -WhatIf changes nothing, not even a folder -Force would create.
        Assert.Empty(ps.Run("Export-Recording -Id 1 -Destination ($out + '/planned/') -Force -WhatIf", vars));
        Assert.False(Directory.Exists(dir.Combine("planned")));

        // -Force creates the missing folder; a recording from an array is named after its -Name.
        Assert.Equal(["clip.ogg"], ps.Run("Export-Recording -Id 1 -Destination ($out + '/new/') -Format ogg -Force | ForEach-Object Name", vars));
        // Failed exports leave nothing behind: no partial files, no file for the unknown format.
        Assert.Equal(["new", "x.wav"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
