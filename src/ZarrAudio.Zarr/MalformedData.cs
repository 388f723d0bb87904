using System.Text.Json;

namespace ZarrAudio.Zarr;

/// <summary>
/// The exceptions that reading stored data of the wrong shape raises (a JSON value of another type, a number out of
/// range, invalid UTF-8, a missing key, an index past an array): at the places where stored data is parsed they are
/// turned into the typed errors of the layer (metadata, corrupt recording), so a hostile or broken archive never
/// surfaces as a bare InvalidOperationException.
/// </summary>
public static class MalformedData
{
    public static bool Is(Exception e) => e is not (OperationCanceledException or ObjectDisposedException)
        and (JsonException or InvalidOperationException or FormatException or OverflowException or InvalidCastException
            or KeyNotFoundException or IndexOutOfRangeException or ArgumentException or NullReferenceException);
}
