using ScottPlot;

namespace ZarrAudio.Analysis.Pictures;

/// <summary>
/// Draws spectrograms with ScottPlot: power in dB over the picture's dynamic range as a heat map with a labelled
/// colour bar, time (seconds, or clock time) and frequency (kHz) axes with ticks, a title, and labelled boxes for
/// segment rows. Large spectrograms are reduced first by taking the maximum of neighbouring cells (a short call stays
/// visible), to at most twice the picture's pixels.
/// </summary>
public static class SpectrogramPicture
{
    public static IEnumerable<string> ColormapNames => Colormap.GetColormaps().Select(c => c.Name).Order();

    public static IColormap? FindColormap(string name) =>
        Colormap.GetColormaps().FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public static void Save(Spectrogram spectrogram, PictureOptions options, string path)
    {
        options.Validate();
        Draw(spectrogram, options).SavePng(path, options.Width, options.Height);
    }

    /// <summary>A grid of small spectrograms, row by row, in one PNG (a contact sheet for review).</summary>
    public static void SaveGrid(IReadOnlyList<(Spectrogram Spectrogram, PictureOptions Options)> tiles, int columns, string path, int tileWidth, int tileHeight)
    {
        if (tiles.Count == 0) throw new InvalidSpectrogramOptionException("Grid", "there is nothing to draw.");
        var rows = (tiles.Count + columns - 1) / columns;
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(columns * tileWidth, rows * tileHeight));
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        for (var i = 0; i < tiles.Count; i++)
        {
            var (spectrogram, options) = tiles[i];
            options.Validate();
            var bytes = Draw(spectrogram, options).GetImage(tileWidth, tileHeight).GetImageBytes(ImageFormat.Png);
            using var tile = SkiaSharp.SKBitmap.Decode(bytes);
            surface.Canvas.DrawBitmap(tile, (i % columns) * tileWidth, (i / columns) * tileHeight);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    private static Plot Draw(Spectrogram s, PictureOptions options)
    {
        var (rows, columns) = (s.Frequencies.Length, s.Times.Length);
        var (rowStep, columnStep) = (Math.Max(1, rows / (2 * options.Height)), Math.Max(1, columns / (2 * options.Width)));
        var (height, width) = ((rows + rowStep - 1) / rowStep, (columns + columnStep - 1) / columnStep);
        // dB of the largest power in each cell of the reduced grid; the top row is the highest frequency.
        var decibels = s.Options.Unit == SpectrogramUnit.Decibels;
        var cells = new double[height, width];
        var top = double.NegativeInfinity;
        for (var r = 0; r < height; r++)
            for (var c = 0; c < width; c++)
            {
                var max = double.NegativeInfinity;
                for (var i = r * rowStep; i < Math.Min(rows, (r + 1) * rowStep); i++)
                    for (var j = c * columnStep; j < Math.Min(columns, (c + 1) * columnStep); j++)
                        max = Math.Max(max, s[i, j]);
                var db = decibels ? max : 10 * Math.Log10(Math.Max(max, 1e-20));
                cells[height - 1 - r, c] = db;
                top = Math.Max(top, db);
            }
        var plot = new Plot();
        var map = plot.Add.Heatmap(cells);
        map.Colormap = FindColormap(options.ColorMap)!;
        map.ManualRange = new ScottPlot.Range(top - options.DynamicRange, top);
        var hop = s.Times.Length > 1 ? s.Times[1] - s.Times[0] : s.Options.WindowLength / (double)s.SampleRate;
        var (t0, t1) = (options.StartSeconds + s.Times[0] - hop / 2, options.StartSeconds + s.Times[^1] + hop / 2);
        var (f0, f1) = (Edge(s.Frequencies, 0) / 1000, Edge(s.Frequencies, rows - 1) / 1000);
        double X(double seconds) => options.StartTime is { } start ? start.DateTime.AddSeconds(seconds - options.StartSeconds).ToOADate() : seconds;
        map.Extent = new CoordinateRect(X(t0), X(t1), f0, f1);
        var bar = plot.Add.ColorBar(map);
        bar.Label = s.Options.Scaling == SpectrogramScaling.Density ? "dB (power per Hz)" : "dB (power)";
        foreach (var box in options.Boxes)
        {
            var (low, high) = ((box.LowFrequency ?? s.Frequencies[0]) / 1000, (box.HighFrequency ?? s.Frequencies[^1]) / 1000);
            var rect = plot.Add.Rectangle(X(box.StartSeconds), X(box.EndSeconds), low, high);
            rect.FillStyle.Color = Colors.Transparent;
            rect.LineStyle.Color = Colors.White;
            rect.LineStyle.Width = 2;
            if (box.Label is { Length: > 0 } label)
            {
                // Inside the box's top left corner, so a box that reaches the top of the picture keeps its label.
                var text = plot.Add.Text(label, X(box.StartSeconds), high);
                text.LabelFontColor = Colors.White;
                text.LabelBackgroundColor = Colors.Black.WithAlpha(0.6);
                text.LabelAlignment = Alignment.UpperLeft;
            }
        }
        if (options.StartTime is not null) plot.Axes.DateTimeTicksBottom();
        plot.Axes.Bottom.Label.Text = options.StartTime is { } st ? $"Time ({st:yyyy-MM-dd}, UTC{st:zzz})" : "Time (s)";
        plot.Axes.Left.Label.Text = "Frequency (kHz)";
        plot.Axes.SetLimits(X(t0), X(t1), f0, f1);
        if (options.Title is { } title) plot.Title(title);
        return plot;
    }

    /// <summary>The outer edge of a row's cell: half a bin beyond the first or last centre (0 Hz at the bottom).</summary>
    private static double Edge(double[] centres, int i)
    {
        if (centres.Length == 1) return centres[0] + (i == 0 ? -0.5 : 0.5);
        var half = i == 0 ? (centres[1] - centres[0]) / 2 : (centres[^1] - centres[^2]) / 2;
        return Math.Max(0, i == 0 ? centres[0] - half : centres[^1] + half);
    }
}
