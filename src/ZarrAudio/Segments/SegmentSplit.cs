using System.Globalization;

namespace ZarrAudio.Segments;

/// <summary>How to split a set: fractions with their names, the seed, what rows must stay together, what to balance.</summary>
public sealed record SegmentSplitOptions
{
    public required IReadOnlyList<double> Fractions { get; init; }
    public IReadOnlyList<string> Names { get; init; } = ["train", "validation", "test"];
    public long Seed { get; init; }
    /// <summary>Rows with the same key go to the same split: "Recording" (default), "Segment" (none), a label column, or a recording metadata key (user metadata first, then technical, e.g. Device).</summary>
    public string GroupBy { get; init; } = "Recording";
    /// <summary>A label column whose values each split should hold in its fraction; null for none.</summary>
    public string? StratifyBy { get; init; }
    /// <summary>The label column that receives each row's split name.</summary>
    public string Column { get; init; } = "split";
}

/// <summary>
/// Assigns whole groups to splits, reproducibly from the seed: groups in a seeded order (SplitMix64, the same on every
/// machine and .NET version), largest first, each to the split furthest below its share of the group's labels.
/// </summary>
public static class SegmentSplit
{
    /// <summary>The rows whose split column (Split-SegmentSet's) holds one of <paramref name="splits"/>, case-insensitively.</summary>
    public static List<Segment> Only(IEnumerable<Segment> rows, IReadOnlyCollection<string> splits, string column = "split") =>
        rows.Where(r => r.Labels.TryGetValue(column, out var v) && v is string s && splits.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();

    public static Dictionary<long, string> Assign(IReadOnlyList<Segment> rows, SegmentSplitOptions options, Func<Segment, string> groupOf)
    {
        Validate(options);
        var fractions = options.Fractions.Select(f => f / options.Fractions.Sum()).ToArray();
        string LabelOf(Segment r) => options.StratifyBy is { } s && r.Labels.TryGetValue(s, out var v) && v is not null
            ? v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture)! : "";
        var totals = rows.GroupBy(LabelOf).ToDictionary(g => g.Key, g => (double)g.Count(), StringComparer.Ordinal);
        var have = fractions.Select(_ => totals.Keys.ToDictionary(k => k, _ => 0.0, StringComparer.Ordinal)).ToArray();
        var groups = rows.GroupBy(groupOf, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var random = new SplitMix64(options.Seed);
        for (var i = groups.Count - 1; i > 0; i--)
        {
            var j = (int)(random.Next() % (ulong)(i + 1));
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }
        var ordered = groups.Select((g, i) => (Group: g, Order: i)).OrderByDescending(p => p.Group.Count()).ThenBy(p => p.Order).Select(p => p.Group);
        var assigned = new Dictionary<long, string>();
        foreach (var group in ordered)
        {
            var labels = group.GroupBy(LabelOf).ToDictionary(g => g.Key, g => (double)g.Count(), StringComparer.Ordinal);
            var best = 0;
            var bestScore = double.NegativeInfinity;
            for (var s = 0; s < fractions.Length; s++)
            {
                if (fractions[s] == 0) continue;
                var score = labels.Sum(l => l.Value * (fractions[s] * totals[l.Key] - have[s][l.Key]) / totals[l.Key]);
                if (score > bestScore + 1e-12) (best, bestScore) = (s, score);
            }
            foreach (var (label, n) in labels) have[best][label] += n;
            foreach (var row in group) assigned[row.SegmentId] = options.Names[best];
        }
        return assigned;
    }

    private static void Validate(SegmentSplitOptions o)
    {
        if (o.Fractions.Count == 0 || o.Fractions.Any(f => f < 0 || double.IsNaN(f) || double.IsInfinity(f)) || o.Fractions.Sum() <= 0)
            throw new ArgumentException("Split fractions must be zero or more, and not all zero (e.g. 0.7, 0.15, 0.15).");
        if (o.Names.Count != o.Fractions.Count)
            throw new ArgumentException($"{o.Fractions.Count} fraction(s) need as many split names; {o.Names.Count} given ({string.Join(", ", o.Names)}).");
        if (o.Names.Distinct(StringComparer.Ordinal).Count() != o.Names.Count)
            throw new ArgumentException($"Split names must differ: {string.Join(", ", o.Names)}.");
    }
}
