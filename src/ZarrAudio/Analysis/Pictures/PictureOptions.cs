namespace ZarrAudio.Analysis.Pictures;

/// <summary>A box drawn on a spectrogram: a labelled row's span in seconds of the picture's time axis, and its band.</summary>
public sealed record PictureBox(double StartSeconds, double EndSeconds, double? LowFrequency, double? HighFrequency, string? Label);

/// <summary>How a spectrogram is drawn: size, dB range below the loudest cell, colour map, title, clock time, boxes.</summary>
public sealed record PictureOptions
{
    public int Width { get; init; } = 1200;
    public int Height { get; init; } = 500;
    /// <summary>Decibels shown below the loudest cell (quieter cells take the bottom colour); OpenSoundscape shows 80.</summary>
    public double DynamicRange { get; init; } = 80;
    /// <summary>A ScottPlot colour map by name: Viridis (default), Magma, Inferno, Plasma, Turbo, Grayscale, …</summary>
    public string ColorMap { get; init; } = "Viridis";
    public string? Title { get; init; }
    /// <summary>The time axis's value at the spectrogram's first sample: the range's start within the recording, in seconds.</summary>
    public double StartSeconds { get; init; }
    /// <summary>The clock time of the range's first sample: the time axis then shows it (HH:mm:ss).</summary>
    public DateTimeOffset? StartTime { get; init; }
    public IReadOnlyList<PictureBox> Boxes { get; init; } = [];

    public void Validate()
    {
        if (Width is < 64 or > 16384 || Height is < 48 or > 16384)
            throw new InvalidSpectrogramOptionException("Width", $"a picture of {Width} × {Height} pixels: give 64 to 16,384 wide and 48 to 16,384 high.");
        if (double.IsNaN(DynamicRange) || DynamicRange is <= 0 or > 300)
            throw new InvalidSpectrogramOptionException("DynamicRange", $"{DynamicRange} dB: give more than 0 and at most 300 dB.");
        if (SpectrogramPicture.FindColormap(ColorMap) is null)
            throw new InvalidSpectrogramOptionException("ColorMap", $"there is no colour map '{ColorMap}': use one of {string.Join(", ", SpectrogramPicture.ColormapNames)}.");
    }
}
