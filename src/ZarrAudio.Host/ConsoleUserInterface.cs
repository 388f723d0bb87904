using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace ZarrAudio.Host;

/// <summary>Console output for the host: results to stdout, everything else to stderr.</summary>
internal sealed class ConsoleUserInterface : PSHostUserInterface
{
    private readonly bool _showProgress = !Console.IsErrorRedirected;
    private DateTime _lastProgress;

    public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;
    public override PSHostRawUserInterface RawUI { get; } = new ConsoleRawUserInterface();

    public override string ReadLine() => Console.ReadLine() ?? "";
    public override SecureString ReadLineAsSecureString() =>
        throw new PSInvalidOperationException("The ZarrAudio host cannot read secure strings.");

    // GetOutputString drops PowerShell's ANSI styling when output is redirected (as pwsh's own host does).
    public override void Write(string value) => Console.Out.Write(GetOutputString(value, SupportsVirtualTerminal));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
    public override void WriteLine(string value) => Console.Out.WriteLine(GetOutputString(value, SupportsVirtualTerminal));
    public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
    public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);

    /// <summary>One line of progress on an interactive terminal, at most a few times a second.</summary>
    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        if (!_showProgress) return;
        var now = DateTime.UtcNow;
        if (record.RecordType == ProgressRecordType.Completed) { Console.Error.Write("\r\u001b[K"); return; }
        if ((now - _lastProgress).TotalMilliseconds < 200) return;
        _lastProgress = now;
        var percent = record.PercentComplete >= 0 ? $" {record.PercentComplete}%" : "";
        Console.Error.Write($"\r\u001b[K{record.Activity}: {record.StatusDescription}{percent}");
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        throw new PSInvalidOperationException($"The ZarrAudio host cannot prompt ({caption}); pass the value as a parameter.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new PSInvalidOperationException("The ZarrAudio host cannot prompt for credentials.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new PSInvalidOperationException("The ZarrAudio host cannot prompt for credentials.");

    /// <summary>Confirmation prompts (-Confirm, ConfirmImpact High) cannot be answered here: refuse rather than guess.</summary>
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
        throw new PSInvalidOperationException($"The ZarrAudio host cannot ask '{caption}: {message}'. Add -Confirm:$false to proceed, or -WhatIf to preview.");
}
