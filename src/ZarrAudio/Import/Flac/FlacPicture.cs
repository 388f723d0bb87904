using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// A PICTURE block: described always (type, MIME type, description, size, SHA-256), its bytes kept in the file
/// metadata up to <see cref="FlacFileHeader.KeptPictureBytes"/> and otherwise reported as dropped: a 16 MB cover
/// image does not belong in a recording's zarr.json.
/// </summary>
internal sealed record FlacPicture(int Type, string MimeType, string Description, int Width, int Height, long DataLength, string Sha256, byte[]? Data)
{
    public bool Kept => Data is not null;

    public static FlacPicture Read(Stream file, long at, long size, byte[]? body)
    {
        // The fields before the data are read from the block's start (its body when loaded, else a bounded prefix).
        var prefix = body ?? ReadPrefix(file, at, (int)Math.Min(size, 64 * 1024));
        var p = 0;
        uint U32() { var v = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(p)); p += 4; return v; }
        string Text(Encoding encoding) { var n = checked((int)U32()); var s = encoding.GetString(prefix, p, n); p += n; return s; }
        var type = (int)U32();
        var mime = Text(Encoding.ASCII);
        var description = Text(new UTF8Encoding(false, throwOnInvalidBytes: true));
        var (width, height) = ((int)U32(), (int)U32());
        p += 8; // colour depth and palette size
        var length = (long)U32();
        if (p + length > size) throw new ArgumentOutOfRangeException(nameof(size), "picture data runs past its block");
        string sha;
        byte[]? data = null;
        if (body is not null && length <= FlacFileHeader.KeptPictureBytes)
        {
            data = body.AsSpan(p, (int)length).ToArray();
            sha = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
        }
        else
        {
            file.Position = at + p;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            for (var left = length; left > 0;)
            {
                var n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0) throw new EndOfStreamException();
                hash.AppendData(buffer, 0, n);
                left -= n;
            }
            sha = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
        }
        return new FlacPicture(type, mime, description, width, height, length, sha, data);
    }

    private static byte[] ReadPrefix(Stream file, long at, int count)
    {
        var prefix = new byte[count];
        file.Position = at;
        file.ReadExactly(prefix);
        return prefix;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["type"] = Type, ["mime_type"] = MimeType, ["description"] = Description, ["width"] = Width, ["height"] = Height,
            ["bytes"] = DataLength, ["sha256"] = Sha256, ["kept"] = Kept,
        };
        if (Data is not null) json["data_base64"] = Convert.ToBase64String(Data);
        return json;
    }
}

/// <summary>A CUESHEET block as JSON: its tracks with their offsets and indices, in samples.</summary>
internal static class CueSheetBlock
{
    public static JsonObject Parse(byte[] b)
    {
        var catalog = Encoding.ASCII.GetString(b, 0, 128).TrimEnd('\0');
        var leadIn = BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(128));
        var isCd = (b[136] & 0x80) != 0;
        var count = b[395];
        var at = 396;
        var tracks = new JsonArray();
        for (var t = 0; t < count; t++)
        {
            var offset = BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(at));
            var number = b[at + 8];
            var isrc = Encoding.ASCII.GetString(b, at + 9, 12).TrimEnd('\0');
            var (audio, preEmphasis) = ((b[at + 21] & 0x80) == 0, (b[at + 21] & 0x40) != 0);
            var indexCount = b[at + 35];
            at += 36;
            var indices = new JsonArray();
            for (var i = 0; i < indexCount; i++, at += 12)
                indices.Add(new JsonObject { ["number"] = b[at + 8], ["offset"] = BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(at)) });
            tracks.Add(new JsonObject
            {
                ["number"] = number, ["offset"] = offset, ["isrc"] = isrc, ["audio"] = audio, ["pre_emphasis"] = preEmphasis, ["indices"] = indices,
            });
        }
        return new JsonObject { ["media_catalog_number"] = catalog, ["lead_in"] = leadIn, ["is_cd"] = isCd, ["tracks"] = tracks };
    }
}
