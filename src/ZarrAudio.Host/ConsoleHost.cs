using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace ZarrAudio.Host;

/// <summary>A PSHost that writes to the console and remembers the exit code a script asks for.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUserInterface _ui = new();

    public int? ExitCode { get; private set; }
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    // en-US, not invariant: Get-Help finds help files by UI culture, and ours are under en-US.
    public override CultureInfo CurrentUICulture { get; } = new CultureInfo("en-US");
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "ZarrAudioHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(1, 0);

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new PSInvalidOperationException("The ZarrAudio host has no nested prompt.");
    public override void ExitNestedPrompt() => throw new PSInvalidOperationException("The ZarrAudio host has no nested prompt.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}
