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
    /// <summary>short[,], int[,], float[,] or double[,] (a float64 PCM recording read as stored), indexed [frame, channel].</summary>
    public required Array Samples { get; init; }

    public int Channels => ChannelIndexes.Length;
    /// <summary>Codec units decoded for this block (per stream, summed): only those covering the range.</summary>
    public int FramesDecoded { get; init; }
    /// <summary>What those units are: "FLAC frames", "PCM chunks", "AAC access units".</summary>
    public string UnitName { get; init; } = "frames";
    /// <summary>Stored bytes fetched for this block.</summary>
    public long BytesFetched { get; init; }

    private Array[]? _channel;

    /// <summary>
    /// The block as one 1-D array per channel (short[], int[], float[] or double[]), in output order. Made on first use.
    /// A method, not a property, so a serialiser that walks properties writes the samples once (as <see cref="Samples"/>);
    /// PowerShell shows it as the hidden property <c>$block.Channel</c> (module/ZarrAudio.Types.ps1xml).
    /// </summary>
    public Array[] GetChannels() => _channel ??= Split();

    /// <summary>One channel of the block, by its place in <see cref="ChannelIndexes"/>.</summary>
    public Array GetChannel(int index) => GetChannels()[index];

    private Array[] Split()
    {
        var frames = Samples.GetLength(0);
        var result = new Array[Channels];
        for (var c = 0; c < Channels; c++)
        {
            result[c] = Samples switch
            {
                short[,] s => Column(s, c, frames),
                int[,] i => Column(i, c, frames),
                float[,] f => Column(f, c, frames),
                double[,] d => Column(d, c, frames),
                _ => throw new InvalidOperationException($"Unexpected sample array {Samples.GetType().Name}"),
            };
        }
        return result;
    }

    private static T[] Column<T>(T[,] samples, int channel, int frames)
    {
        var column = new T[frames];
        for (var i = 0; i < frames; i++) column[i] = samples[i, channel];
        return column;
    }
    /// <summary>The largest absolute sample of each channel, in the samples' own units (full scale 32,768 for Int16).</summary>
    public double[] Peak => (_levels ??= Levels()).Peak;

    /// <summary>The root mean square of each channel, in the samples' own units.</summary>
    public double[] Rms => (_levels ??= Levels()).Rms;

    private (double[] Peak, double[] Rms)? _levels;

    private (double[] Peak, double[] Rms) Levels() => Samples switch
    {
        short[,] s => Levels(s, v => v),
        int[,] i => Levels(i, v => v),
        float[,] f => Levels(f, v => v),
        double[,] d => Levels(d, v => v),
        _ => throw new InvalidOperationException($"Unexpected sample array {Samples.GetType().Name}"),
    };

    private (double[] Peak, double[] Rms) Levels<T>(T[,] samples, Func<T, double> value)
    {
        var frames = samples.GetLength(0);
        var (peak, sum) = (new double[Channels], new double[Channels]);
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < Channels; c++)
            {
                var v = Math.Abs(value(samples[i, c]));
                if (v > peak[c]) peak[c] = v;
                sum[c] += v * v;
            }
        return (peak, sum.Select(total => frames == 0 ? 0 : Math.Sqrt(total / frames)).ToArray());
    }

    public TimeSpan StartTime => TimeSpan.FromSeconds((double)Start / SampleRate);
    public TimeSpan Duration => TimeSpan.FromSeconds((double)SampleCount / SampleRate);

    public override string ToString() =>
        $"Recording {Id} [{Start}, {Start + SampleCount}) {Channels} ch {Samples.GetType().GetElementType()?.Name}[{SampleCount},{Channels}]";
}
