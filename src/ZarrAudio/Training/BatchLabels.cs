using System.Globalization;
using ZarrAudio.Segments;

namespace ZarrAudio.Training;

/// <summary>One label column as a model sees it: text as categories (multi-hot, so mixed rows carry both), or numbers.</summary>
public sealed record BatchLabelColumn(string Name, IReadOnlyList<string>? Categories)
{
    public bool IsText => Categories is not null;
}

/// <summary>
/// The label columns of all rows, fixed before the first batch so every batch encodes them the same way: text
/// categories sorted by name (as a segment set stores them), a column with any text is text.
/// </summary>
public sealed class BatchLabels
{
    private BatchLabels(IReadOnlyList<BatchLabelColumn> columns) => Columns = columns;

    public IReadOnlyList<BatchLabelColumn> Columns { get; }

    public static BatchLabels From(IEnumerable<Segment> rows)
    {
        var order = new List<string>();
        var text = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var row in rows)
            foreach (var (name, value) in row.Labels)
            {
                if (!order.Contains(name)) order.Add(name);
                if (value is string s) (text.TryGetValue(name, out var set) ? set : text[name] = new SortedSet<string>(StringComparer.Ordinal)).Add(s);
            }
        return new BatchLabels(order.Select(name => new BatchLabelColumn(name, text.TryGetValue(name, out var all) ? all.ToList() : null)).ToList());
    }

    /// <summary>[Rows, categories] of 0 and 1: a 1 for each category an example's row, or a row mixed into it, has.</summary>
    public float[] MultiHot(TrainingBatch batch, BatchLabelColumn column)
    {
        var categories = column.Categories ?? throw new ArgumentException($"Label '{column.Name}' holds numbers, not categories.", nameof(column));
        var result = new float[batch.Rows * categories.Count];
        for (var e = 0; e < batch.Count; e++)
            foreach (var labels in batch.Examples[e].AllLabels)
                if (labels.TryGetValue(column.Name, out var value) && value is not null)
                {
                    var k = IndexOf(categories, Text(value));
                    if (k >= 0) result[e * categories.Count + k] = 1;
                }
        return result;
    }

    /// <summary>[Rows] of an example's own row's value, NaN where it has none (and for padding).</summary>
    public double[] Values(TrainingBatch batch, BatchLabelColumn column)
    {
        var result = new double[batch.Rows];
        Array.Fill(result, double.NaN);
        for (var e = 0; e < batch.Count; e++)
            if (batch.Examples[e].Row.Labels.TryGetValue(column.Name, out var value) && value is IConvertible c and not string)
                result[e] = c.ToDouble(CultureInfo.InvariantCulture);
        return result;
    }

    private static string Text(object value) => value is double d ? LabelColumn.Format(d) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static int IndexOf(IReadOnlyList<string> sorted, string value)
    {
        for (var i = 0; i < sorted.Count; i++) if (string.Equals(sorted[i], value, StringComparison.Ordinal)) return i;
        return -1;
    }
}
