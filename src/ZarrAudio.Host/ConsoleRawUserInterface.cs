using System.Management.Automation.Host;

namespace ZarrAudio.Host;

/// <summary>
/// Just enough of a raw console for PowerShell's formatter: its width decides how tables and help wrap.
/// Redirected output gets a fixed, wide width so scripts that parse it see whole lines.
/// </summary>
internal sealed class ConsoleRawUserInterface : PSHostRawUserInterface
{
    private const int RedirectedWidth = 120;

    private static int Width => Console.IsOutputRedirected ? RedirectedWidth : Math.Max(40, SafeWindowWidth());

    private static int SafeWindowWidth()
    {
        try { return Console.WindowWidth; }
        catch (IOException) { return RedirectedWidth; }
    }

    public override Size BufferSize { get => new(Width, 9999); set { } }
    public override Size WindowSize { get => new(Width, 50); set { } }
    public override Size MaxWindowSize => WindowSize;
    public override Size MaxPhysicalWindowSize => WindowSize;
    public override Coordinates CursorPosition { get; set; }
    public override Coordinates WindowPosition { get; set; }
    public override int CursorSize { get; set; }
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override string WindowTitle { get; set; } = "ZarrAudio";
    public override bool KeyAvailable => false;

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("The ZarrAudio host does not read keys.");
    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("The ZarrAudio host keeps no screen buffer.");
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
}
