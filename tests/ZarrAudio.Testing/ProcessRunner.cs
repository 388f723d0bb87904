using System.Diagnostics;

namespace ZarrAudio.Testing;

/// <summary>Runs an external program (node, ffmpeg, flac) and returns what it printed; throws on failure.</summary>
public static class ProcessRunner
{
    public static string Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, int timeoutMs = 300_000)
    {
        var (code, stdout, stderr) = Execute(fileName, arguments, workingDirectory, timeoutMs);
        if (code != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {code}: {stderr}");
        return stdout;
    }

    /// <summary>Runs a program to its end and returns its exit code and output, whatever the code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Execute(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, int timeoutMs = 300_000,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {fileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(true);
            throw new TimeoutException($"{fileName} did not finish in {timeoutMs} ms");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs a program with <paramref name="input"/> on its standard input; its standard output, or an exception with its errors.</summary>
    public static string RunWithInput(string fileName, IEnumerable<string> arguments, string input, int timeoutMs = 300_000)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {fileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(true);
            throw new TimeoutException($"{fileName} did not finish in {timeoutMs} ms");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{fileName} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Runs one of the conformance scripts under tests/conformance with node.</summary>
    public static string Node(string script, params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.Conformance, "node_modules", "zarrita")))
            throw new InvalidOperationException("zarrita is not installed: run 'npm ci' in tests/conformance (bootstrap.sh does this)");
        return Run("node", [Path.Combine(RepoPaths.Conformance, script), .. arguments], RepoPaths.Conformance);
    }
}
