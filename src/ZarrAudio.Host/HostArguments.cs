namespace ZarrAudio.Host;

/// <summary>The command line: -Command text, -File path with arguments, or a script on standard input.</summary>
internal sealed record HostArguments(string? Command, string? File, IReadOnlyList<string> ScriptArguments, bool NoModule, bool ShowHelp)
{
    public const string Usage = """
        Usage: zarraudio [-NoModule] -Command '<script>'
               zarraudio [-NoModule] -File script.ps1 [arguments]
               zarraudio [-NoModule] < script.ps1
        Runs PowerShell with the core cmdlets and the ZarrAudio module imported.
        For the full shell (Select-Object, Format-Table, ...) use pwsh 7.4+ and Import-Module ./ZarrAudio.psd1.
        """;

    public static HostArguments Parse(string[] args)
    {
        string? command = null, file = null;
        bool noModule = false, help = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (file is not null) { rest.Add(a); continue; }
            switch (a.ToLowerInvariant())
            {
                case "-command" or "-c" when i + 1 < args.Length:
                    command = string.Join(' ', args[(i + 1)..]);
                    i = args.Length;
                    break;
                case "-file" or "-f" when i + 1 < args.Length:
                    file = args[++i];
                    break;
                case "-nomodule":
                    noModule = true;
                    break;
                case "-help" or "-h" or "--help" or "-?":
                    help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }
        return new HostArguments(command, file, rest, noModule, help);
    }
}
