using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ZarrAudio.Metadata;

namespace ZarrAudio.Segments;

/// <summary>
/// What pins a segment to the audio it describes: an MD5 over the stored samples' own MD5s (FLAC and PCM record
/// one per stream; AAC none), the source's SHA-256, the codec, the shape and the import time. A recording removed
/// and imported again, or another archive's recording under the same id, has another fingerprint.
/// </summary>
public static class RecordingFingerprint
{
    public const int Bytes = 16;

    public static string Of(RecordingMetadata m)
    {
        var t = m.Technical;
        var text = string.Join('\n',
            string.Join(',', t.Md5), m.Source.Sha256 ?? "", t.Codec, t.SampleRate.ToString(CultureInfo.InvariantCulture),
            t.Channels.ToString(CultureInfo.InvariantCulture), t.SampleCount.ToString(CultureInfo.InvariantCulture),
            t.ImportedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }
}
