using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using ZarrAudio.Host;

HostArguments arguments;
try
{
    arguments = HostArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(HostArguments.Usage);
    return 2;
}
if (arguments.ShowHelp)
{
    Console.WriteLine(HostArguments.Usage);
    return 0;
}
return ScriptRunner.Run(arguments);

namespace ZarrAudio.Host
{
    internal static partial class ScriptRunner
    {
        public static int Run(HostArguments arguments)
        {
            var script = BuildScript(arguments);
            if (script is null)
            {
                Console.Error.WriteLine(HostArguments.Usage);
                return 2;
            }

            var host = new ConsoleHost();
            var state = InitialSessionState.CreateDefault2();
            using var runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            if (!arguments.NoModule && !ImportModule(runspace)) return 1;

            using var shell = PowerShell.Create(runspace);
            // Out-Default formats output as pwsh does: Format.ps1xml views, help, tables sized to the console.
            shell.AddScript(script).AddCommand("Out-Default");
            shell.Streams.Error.DataAdded += (_, e) => WriteError(shell.Streams.Error[e.Index]);
            shell.Streams.Warning.DataAdded += (_, e) => host.UI.WriteWarningLine(shell.Streams.Warning[e.Index].Message);
            shell.Streams.Information.DataAdded += (_, e) => Console.Out.WriteLine(shell.Streams.Information[e.Index].MessageData?.ToString());
            shell.Streams.Progress.DataAdded += (_, e) => host.UI.WriteProgress(0, shell.Streams.Progress[e.Index]);
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; shell.BeginStop(null, null); };
            try
            {
                shell.Invoke();
            }
            catch (RuntimeException e)
            {
                if (host.ExitCode is { } requested) return requested;
                WriteError(e.ErrorRecord);
                return 1;
            }
            if (host.ExitCode is { } code) return code;
            if (shell.InvocationStateInfo.State == PSInvocationState.Failed) return 1;
            // Like pwsh -File: a script that could not start (its parameters did not bind) is a failure.
            if (shell.Streams.Error.Any(e => e.Exception is ParameterBindingException && e.InvocationInfo?.MyCommand is ExternalScriptInfo)) return 1;
            // A script run with -File that ends with 'exit N' leaves N in $LASTEXITCODE.
            if (arguments.File is not null && runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int last) return last;
            return 0;
        }

        private static string? BuildScript(HostArguments arguments)
        {
            if (arguments.Command is "-") return Console.In.ReadToEnd();
            if (arguments.Command is not null) return arguments.Command;
            if (arguments.File is not null)
            {
                var path = Path.GetFullPath(arguments.File);
                if (!File.Exists(path))
                {
                    Console.Error.WriteLine($"The script '{arguments.File}' does not exist.");
                    return null;
                }
                // Like pwsh -File: '-Name' arguments bind as parameter names, everything else as literal strings.
                var parts = arguments.ScriptArguments.Select(a => ParameterName().IsMatch(a) ? a : Quote(a));
                return $"& {Quote(path)} {string.Join(' ', parts)}";
            }
            return Console.IsInputRedirected ? Console.In.ReadToEnd() : null;
        }

        private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

        [GeneratedRegex(@"^-[A-Za-z_][A-Za-z0-9_]*:?$")]
        private static partial Regex ParameterName();

        /// <summary>Imports ZarrAudio.psd1 from ZARRAUDIO_MODULE or the nearest folder above this executable that has it.</summary>
        private static bool ImportModule(Runspace runspace)
        {
            var manifest = Environment.GetEnvironmentVariable("ZARRAUDIO_MODULE");
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); manifest is null && dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ZarrAudio.psd1"))) manifest = Path.Combine(dir.FullName, "ZarrAudio.psd1");
            if (manifest is null)
            {
                Console.Error.WriteLine("WARNING: ZarrAudio.psd1 not found; running without the ZarrAudio module.");
                return true;
            }
            using var shell = PowerShell.Create(runspace);
            shell.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop");
            try
            {
                shell.Invoke();
                return true;
            }
            catch (RuntimeException e)
            {
                Console.Error.WriteLine($"Cannot import the ZarrAudio module from {manifest}: {e.Message}");
                Console.Error.WriteLine("Build it first: ./bootstrap.sh build (or ./zarraudio -NoModule -File build.ps1 -Task Build).");
                return false;
            }
        }

        private static void WriteError(ErrorRecord record)
        {
            Console.Error.WriteLine($"ERROR: {record}");
            if (record.InvocationInfo?.PositionMessage is { Length: > 0 } position) Console.Error.WriteLine(position);
            if (record.FullyQualifiedErrorId is { } id) Console.Error.WriteLine($"    + FullyQualifiedErrorId : {id}");
        }
    }
}
