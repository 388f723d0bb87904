namespace ZarrAudio.Reading;

/// <summary>A range of samples read from a recording: a 2-D array [frame, channel].</summary>
public sealed class SampleBlock
{
    public required long Id { get; init; }
    public required long Start { get; init; }
    /// <summary>Samples per channel (not Count, which PowerShell reserves for collections).</summary>
    public required long SampleCount { get; init; }
    public required int SampleRate { get; init; }
    /// <summary>The recording channels in the block, in output order (0-based).</summary>
    public required int[] ChannelIndexes { get; init; }
    /// <summary>short[,], int[,] or float[,], indexed [frame, channel].</summary>
    public required Array Samples { get; init; }

    public int Channels => ChannelIndexes.Length;
    public TimeSpan StartTime => TimeSpan.FromSeconds((double)Start / SampleRate);
    public TimeSpan Duration => TimeSpan.FromSeconds((double)SampleCount / SampleRate);

    public override string ToString() =>
        $"Recording {Id} [{Start}, {Start + SampleCount}) {Channels} ch {Samples.GetType().GetElementType()?.Name}[{SampleCount},{Channels}]";
}
