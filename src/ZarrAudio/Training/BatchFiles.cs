using System.Text.Json;
using ZarrAudio.Segments;

namespace ZarrAudio.Training;

/// <summary>
/// A batch as files a Python training loop loads with numpy alone: {stem}.samples.npy (float32 [rows, channel,
/// frame]), one {stem}.label_{name}.npy per label column (float32 [rows, categories] multi-hot for text, float64
/// [rows] for numbers), and {stem}.json: the shape, rate, label categories, and for each example its row, crop,
/// padding and the augmentations applied (enough to read it again). Files are written beside and renamed into place,
/// the JSON last, so a reader that waits for the JSON never sees a half-written batch.
/// </summary>
public static class BatchFiles
{
    public static string StemOf(TrainingBatch batch) => $"batch-e{batch.Epoch:D4}-{batch.Index:D6}";

    /// <summary>Writes the batch's files into <paramref name="directory"/>; returns the JSON file's path.</summary>
    public static string Write(string directory, TrainingBatch batch, bool overwrite = false)
    {
        var labels = batch.Labels;
        var stem = Path.Combine(directory, StemOf(batch));
        var json = stem + ".json";
        if (!overwrite && File.Exists(json)) throw new ExportTargetExistsException(json);
        Save(stem + ".samples.npy", s => NpyFile.Write(s, batch.Samples.AsSpan(0, batch.Rows * batch.Channels * batch.Frames), batch.Shape));
        foreach (var column in labels.Columns)
        {
            var file = $"{stem}.{LabelColumn.ArrayName(column.Name)}.npy";
            if (column.Categories is { } categories) Save(file, s => NpyFile.Write(s, labels.MultiHot(batch, column), [batch.Rows, categories.Count]));
            else Save(file, s => NpyFile.Write(s, labels.Values(batch, column), [batch.Rows]));
        }
        Save(json, s => WriteJson(s, batch, labels));
        return json;
    }

    private static void Save(string path, Action<Stream> write)
    {
        var partial = path + ".partial";
        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(partial, path, overwrite: true);
    }

    private static void WriteJson(Stream stream, TrainingBatch batch, BatchLabels labels)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("epoch", batch.Epoch);
        w.WriteNumber("index", batch.Index);
        w.WriteNumber("count", batch.Count);
        w.WriteNumber("sample_rate", batch.SampleRate);
        w.WriteStartArray("shape");
        foreach (var d in batch.Shape) w.WriteNumberValue(d);
        w.WriteEndArray();
        w.WriteStartObject("labels");
        foreach (var column in labels.Columns)
        {
            w.WriteStartObject(column.Name);
            w.WriteString("file", LabelColumn.ArrayName(column.Name));
            if (column.Categories is { } categories)
            {
                w.WriteStartArray("categories");
                foreach (var c in categories) w.WriteStringValue(c);
                w.WriteEndArray();
            }
            else w.WriteString("type", "number");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartArray("examples");
        for (var e = 0; e < batch.Count; e++) WriteExample(w, batch.Examples[e]);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteExample(Utf8JsonWriter w, TrainingExample x)
    {
        w.WriteStartObject();
        WriteRow(w, x.Row);
        w.WriteNumber("key", x.Key);
        w.WriteNumber("crop_start", x.CropStart);
        w.WriteNumber("crop_count", x.CropCount);
        w.WriteNumber("pad_before", x.PadBefore);
        w.WriteNumber("pad_after", x.PadAfter);
        w.WriteStartArray("applied");
        foreach (var a in x.Applied)
        {
            w.WriteStartObject();
            w.WriteString("operation", a.Operation);
            w.WriteStartObject("parameters");
            foreach (var (k, v) in a.Parameters) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteStartArray("rows");
            foreach (var r in a.Rows ?? []) { w.WriteStartObject(); WriteRow(w, r); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter w, Segment row)
    {
        w.WriteNumber("recording", row.Id);
        w.WriteNumber("start", row.Start);
        w.WriteNumber("count", row.Count);
        if (row.SegmentId > 0) w.WriteNumber("segment_id", row.SegmentId);
        if (row.Set is { } set) w.WriteString("set", set);
        if (row.Fingerprint.Length > 0) w.WriteString("fingerprint", row.Fingerprint);
        w.WriteStartObject("labels");
        foreach (var (k, v) in row.Labels)
            switch (v)
            {
                case null: w.WriteNull(k); break;
                case string s: w.WriteString(k, s); break;
                case IConvertible c when double.IsFinite(c.ToDouble(System.Globalization.CultureInfo.InvariantCulture)):
                    w.WriteNumber(k, c.ToDouble(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case IConvertible: w.WriteNull(k); break;
                default: w.WriteString(k, v.ToString()); break;
            }
        w.WriteEndObject();
    }
}
