namespace ZarrAudio;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fixed and the same on every machine and .NET version, which
/// <see cref="Random"/>'s seeded sequence is not promised to be. Splits and crops draw from it, so a seed gives the same
/// result anywhere, on any number of threads.
/// </summary>
public sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        return Mix(z);
    }

    /// <summary>A draw that depends only on its inputs (seed, epoch, row…): the same wherever and whenever it is made.</summary>
    public static ulong Hash(params long[] values)
    {
        var h = 0x243F6A8885A308D3UL;
        foreach (var v in values) h = Mix(h ^ unchecked((ulong)v) + 0x9E3779B97F4A7C15UL);
        return h;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
