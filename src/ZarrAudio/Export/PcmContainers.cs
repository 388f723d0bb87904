namespace ZarrAudio.Export;

/// <summary>
/// Containers whose ffmpeg default codec is 16-bit PCM: for them the PCM codec is chosen from the recording's
/// bit depth, so a 24-bit recording exported to .wav stays 24-bit, and a float one stays float.
/// </summary>
internal static class PcmContainers
{
    private static readonly Dictionary<string, string> FormatByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wav"] = "wav", ["wave"] = "wav", ["w64"] = "w64", ["rf64"] = "wav",
        ["aif"] = "aiff", ["aiff"] = "aiff", ["aifc"] = "aiff", ["caf"] = "caf", ["au"] = "au", ["snd"] = "au",
    };

    public static string? Codec(string? format, string path, int bitsPerSample, bool isFloat)
    {
        var container = format ?? FormatByExtension.GetValueOrDefault(Path.GetExtension(path).TrimStart('.'));
        if (isFloat)
            return container switch
            {
                "wav" or "w64" => $"pcm_f{bitsPerSample}le",
                "aiff" or "caf" or "au" => $"pcm_f{bitsPerSample}be",
                _ => null,
            };
        var width = bitsPerSample <= 8 && container == "wav" ? 8 : bitsPerSample <= 16 ? 16 : bitsPerSample <= 24 ? 24 : 32;
        return container switch
        {
            "wav" or "w64" => width == 8 ? "pcm_u8" : $"pcm_s{width}le",
            "aiff" or "caf" or "au" => width == 8 ? "pcm_s8" : $"pcm_s{width}be",
            _ => null,
        };
    }
}
