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

    /// <summary>Uniform in [0, 1): the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high] (low when they are equal).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform in [0, n).</summary>
    public long Index(long n) => (long)(Next() % (ulong)n);

    /// <summary>Standard normal, by Box–Muller (one of the pair; the arithmetic is IEEE, the same everywhere).</summary>
    public double Gaussian()
    {
        var u = 1.0 - NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * NextDouble());
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
