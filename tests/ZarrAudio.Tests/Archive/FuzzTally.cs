using Xunit.Abstractions;

namespace ZarrAudio.Tests;

/// <summary>
/// What the fuzzing harnesses share: the case count (<c>ZARRAUDIO_FUZZ_CASES</c>), one case run within a time limit
/// and judged on its failure and on what it allocated (process-wide, so the harnesses run alone), and the tally of
/// outcomes printed at the end.
/// </summary>
internal sealed class FuzzTally(ITestOutputHelper output, TimeSpan timeout, long allocationLimit)
{
    private readonly Dictionary<string, int> _outcomes = new();
    private long _peak;

    public static int Cases(int byDefault) => int.TryParse(Environment.GetEnvironmentVariable("ZARRAUDIO_FUZZ_CASES"), out var n) ? n : byDefault;

    /// <summary>Runs one case; <paramref name="run"/> returns a summary to count and a failure (null: acceptable).</summary>
    public async Task RunAsync(string what, Func<Task<(string Summary, string? Failure)>> run)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var task = Task.Run(run);
        if (await Task.WhenAny(task, Task.Delay(timeout)) != task) Assert.Fail($"{what} did not finish in {timeout.TotalSeconds} s");
        var (summary, failure) = await task;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        _peak = Math.Max(_peak, allocated);
        Assert.True(failure is null, $"{what}: {failure}");
        Assert.True(allocated < allocationLimit, $"{what} allocated {allocated:N0} bytes");
        _outcomes[summary] = _outcomes.GetValueOrDefault(summary) + 1;
    }

    public void Report()
    {
        foreach (var (summary, count) in _outcomes.OrderByDescending(o => o.Value)) output.WriteLine($"{count,4} × {summary}");
        output.WriteLine($"most allocated by one case: {_peak / (1 << 20)} MiB");
    }
}
