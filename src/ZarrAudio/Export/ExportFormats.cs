using FFMpegCore;

namespace ZarrAudio.Export;

/// <summary>The formats ffmpeg can write (its muxers), asked once per process: for -Format completion.</summary>
public static class ExportFormats
{
    private static readonly Lazy<IReadOnlyList<(string Name, string Description)>> Muxers = new(() =>
    {
        try
        {
            return FFMpeg.GetContainerFormats().Where(f => f.MuxingSupported)
                .Select(f => (f.Name, f.Description)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FFMpegCore.Exceptions.FFMpegException or InvalidOperationException)
        {
            return [];
        }
    });

    /// <summary>Muxer names and descriptions (empty when ffmpeg cannot be run).</summary>
    public static IReadOnlyList<(string Name, string Description)> All => Muxers.Value;
}
