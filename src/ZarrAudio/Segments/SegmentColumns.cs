using System.Globalization;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Segments;

/// <summary>
/// A segment set's rows as plain Zarr v3, one 1-D array per column along dimension <c>segment</c>, so zarr-python and
/// zarrita read them without us (docs/ARCHITECTURE.md, "Segment sets"):
/// <c>segment_id, recording, start, count</c> (int64), <c>sample_rate</c> (int32), <c>start_time, duration</c>
/// (float64 seconds, derived), <c>channel</c> (int32, −1 = all), <c>low_frequency, high_frequency</c> (float64 Hz, NaN =
/// unbounded), <c>fingerprint</c> (uint8 [segment, 16]) and one <c>label_*</c> array per label column: text as int32
/// codes into the array's <c>categories</c> attribute (−1 = none), numbers as float64 (NaN = none); each label array's
/// <c>label</c> attribute holds the column's own name.
/// </summary>
internal static class SegmentColumns
{
    private const string Dimension = "segment";
    private const int MaxChunkRows = 1 << 20;

    public static async Task WriteAsync(IWritableStore store, string path, IReadOnlyList<Segment> rows, CancellationToken ct)
    {
        var labels = LabelColumn.Plan(rows);
        var schema = new JsonArray(labels.Select(l => (JsonNode)l.Describe()).ToArray());
        await ZarrGroup.CreateAsync(store, path, new JsonObject { ["rows"] = rows.Count, ["labels"] = schema }, ct).ConfigureAwait(false);
        var n = rows.Count;
        await Column(store, path, "segment_id", rows.Select(r => r.SegmentId).ToArray(), DataType.Int64, 0L, ct).ConfigureAwait(false);
        await Column(store, path, "recording", rows.Select(r => r.Id).ToArray(), DataType.Int64, 0L, ct).ConfigureAwait(false);
        await Column(store, path, "start", rows.Select(r => r.Start).ToArray(), DataType.Int64, 0L, ct).ConfigureAwait(false);
        await Column(store, path, "count", rows.Select(r => r.Count).ToArray(), DataType.Int64, 0L, ct).ConfigureAwait(false);
        await Column(store, path, "sample_rate", rows.Select(r => r.SampleRate).ToArray(), DataType.Int32, 0, ct).ConfigureAwait(false);
        await Column(store, path, "start_time", rows.Select(r => r.StartSeconds).ToArray(), DataType.Float64, double.NaN, ct, "s").ConfigureAwait(false);
        await Column(store, path, "duration", rows.Select(r => r.DurationSeconds).ToArray(), DataType.Float64, double.NaN, ct, "s").ConfigureAwait(false);
        await Column(store, path, "channel", rows.Select(r => r.Channel ?? -1).ToArray(), DataType.Int32, -1, ct).ConfigureAwait(false);
        await Column(store, path, "low_frequency", rows.Select(r => r.LowFrequency ?? double.NaN).ToArray(), DataType.Float64, double.NaN, ct, "Hz").ConfigureAwait(false);
        await Column(store, path, "high_frequency", rows.Select(r => r.HighFrequency ?? double.NaN).ToArray(), DataType.Float64, double.NaN, ct, "Hz").ConfigureAwait(false);
        var prints = new byte[n * RecordingFingerprint.Bytes];
        for (var i = 0; i < n; i++) Convert.FromHexString(rows[i].Fingerprint).CopyTo(prints, i * RecordingFingerprint.Bytes);
        await Column(store, path, "fingerprint", prints, DataType.UInt8, (byte)0, ct, width: RecordingFingerprint.Bytes).ConfigureAwait(false);
        foreach (var label in labels)
        {
            if (label.Categories is { } names)
                await Column(store, path, label.Array, label.Codes(rows), DataType.Int32, -1, ct, attributes: label.Describe()).ConfigureAwait(false);
            else
                await Column(store, path, label.Array, label.Numbers(rows), DataType.Float64, double.NaN, ct, attributes: label.Describe()).ConfigureAwait(false);
        }
    }

    public static async Task<List<Segment>> ReadAsync(IReadableStore store, string path, string setName, CancellationToken ct)
    {
        var group = await ZarrGroup.OpenAsync(store, path, ct).ConfigureAwait(false);
        var n = group.Attributes["rows"]?.GetValue<int>() ?? throw new ArchiveFormatException($"Segment rows at '{path}' do not say how many they are.");
        var ids = await Read<long>(store, path, "segment_id", n, ct).ConfigureAwait(false);
        var recordings = await Read<long>(store, path, "recording", n, ct).ConfigureAwait(false);
        var starts = await Read<long>(store, path, "start", n, ct).ConfigureAwait(false);
        var counts = await Read<long>(store, path, "count", n, ct).ConfigureAwait(false);
        var rates = await Read<int>(store, path, "sample_rate", n, ct).ConfigureAwait(false);
        var channels = await Read<int>(store, path, "channel", n, ct).ConfigureAwait(false);
        var lows = await Read<double>(store, path, "low_frequency", n, ct).ConfigureAwait(false);
        var highs = await Read<double>(store, path, "high_frequency", n, ct).ConfigureAwait(false);
        var prints = await Read<byte>(store, path, "fingerprint", n, ct, RecordingFingerprint.Bytes).ConfigureAwait(false);
        var labels = new List<(string Name, Func<int, object?> Value)>();
        foreach (var node in group.Attributes["labels"]?.AsArray() ?? [])
        {
            var label = LabelColumn.FromDescription(node!.AsObject());
            if (label.Categories is { } names)
            {
                var codes = await Read<int>(store, path, label.Array, n, ct).ConfigureAwait(false);
                labels.Add((label.Name, i => codes[i] >= 0 && codes[i] < names.Count ? names[codes[i]] : null));
            }
            else
            {
                var values = await Read<double>(store, path, label.Array, n, ct).ConfigureAwait(false);
                labels.Add((label.Name, i => double.IsNaN(values[i]) ? null : values[i]));
            }
        }
        var rows = new List<Segment>(n);
        for (var i = 0; i < n; i++)
        {
            var rowLabels = labels.Count == 0 ? Segment.EmptyLabels : labels.ToDictionary(l => l.Name, l => l.Value(i), StringComparer.Ordinal);
            rows.Add(new Segment
            {
                SegmentId = ids[i], Id = recordings[i], Start = starts[i], Count = counts[i], SampleRate = rates[i],
                Channel = channels[i] < 0 ? null : channels[i],
                LowFrequency = double.IsNaN(lows[i]) ? null : lows[i], HighFrequency = double.IsNaN(highs[i]) ? null : highs[i],
                Fingerprint = Convert.ToHexString(prints, i * RecordingFingerprint.Bytes, RecordingFingerprint.Bytes).ToLowerInvariant(),
                Labels = rowLabels, Set = setName,
            });
        }
        return rows;
    }

    private static async Task Column<T>(IWritableStore store, string path, string name, T[] data, DataType type, T fill, CancellationToken ct,
        string? unit = null, int width = 0, JsonObject? attributes = null) where T : unmanaged
    {
        var n = width == 0 ? data.Length : data.Length / width;
        var chunk = Math.Clamp(n, 1, MaxChunkRows);
        var fillBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new[] { fill }.AsSpan()).ToArray();
        var attrs = attributes ?? new JsonObject();
        if (unit is not null) attrs["unit"] = unit;
        var metadata = new ArrayMetadata
        {
            Shape = width == 0 ? [n] : [n, width],
            DataType = type,
            ChunkShape = width == 0 ? [chunk] : [chunk, width],
            FillValue = fillBytes,
            Codecs = [new CodecMetadata("bytes", new JsonObject { ["endian"] = "little" }), new CodecMetadata("zstd", new JsonObject { ["level"] = 3, ["checksum"] = false })],
            DimensionNames = width == 0 ? [Dimension] : [Dimension, name + "_byte"],
            Attributes = attrs,
        };
        var array = await ZarrArray.CreateAsync(store, path + "/" + name, metadata, ct).ConfigureAwait(false);
        // Every chunk is stored, fill values included: a missing chunk then means a removed version, not empty rows.
        array.StoresFillChunks = true;
        if (n > 0) await array.WriteAsync(new long[metadata.Shape.Length], metadata.Shape, data, ct).ConfigureAwait(false);
    }

    private static async Task<T[]> Read<T>(IReadableStore store, string path, string name, int n, CancellationToken ct, int width = 0) where T : unmanaged
    {
        var array = await ZarrArray.OpenAsync(store, path + "/" + name, ct).ConfigureAwait(false);
        array.ChunksRequired = true;
        if (array.Shape[0] != n || (width != 0 && (array.Rank != 2 || array.Shape[1] != width)))
            throw new ArchiveFormatException($"Segment column '{path}/{name}' has shape [{string.Join(", ", array.Shape)}]; the set holds {n.ToString(CultureInfo.InvariantCulture)} rows.");
        if (n == 0) return [];
        return await array.ReadAsync<T>(new long[array.Rank], array.Shape, ct).ConfigureAwait(false);
    }
}
