using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Codecs;

namespace ZarrAudio.Archive;

/// <summary>
/// Names and shapes of everything an archive stores (see docs/ARCHITECTURE.md, "On-disk layout").
/// Layout 1:
///   {mount}/zarr.json                      group, attributes.zarraudio = {kind: archive, layout: 1}
///   {mount}/{id}/claim.json                exclusive-create claim of the id (never a Zarr node; a failed or removed id keeps
///                                          it only while it is the highest id, so ids are never reused)
///   {mount}/{id}/lock.json                 held while the recording's metadata is changed or it is removed
///   {mount}/{id}/zarr.json                 recording group, written last: its presence commits the import
///   {mount}/{id}/flac{k}                   uint8 [bytes]: FLAC frames of stream k, sharded 4 MiB / 64 KiB
///   {mount}/{id}/frames{k}                 int64 [frames, 2]: (byte offset, first sample) of each frame
///   {mount}/sha256/{hex}                   exclusive-create claim of a source hash: the id that holds it
/// </summary>
public static class ArchiveLayout
{
    public const int Version = 1;
    public const string MarkerKey = "zarraudio";
    public const int ShardBytes = 4 * 1024 * 1024;
    public const int InnerChunkBytes = 64 * 1024;
    public const int FrameIndexChunk = 131_072;

    public static string Join(string mount, string rest) => mount.Length == 0 ? rest : mount + "/" + rest;
    public static string RecordingPath(string mount, long id) => Join(mount, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static string ClaimKey(string mount, long id) => RecordingPath(mount, id) + "/claim.json";
    public static string LockKey(string mount, long id) => RecordingPath(mount, id) + "/lock.json";
    public static string HashClaimKey(string mount, string sha256) => Join(mount, "sha256/" + sha256);
    public static string FlacArrayName(int stream) => $"flac{stream}";
    public static string FrameIndexArrayName(int stream) => $"frames{stream}";

    public static JsonObject ArchiveMarker() => new() { [MarkerKey] = new JsonObject { ["kind"] = "archive", ["layout"] = Version } };

    public static ArrayMetadata FlacStreamArray(JsonObject attributes) => new()
    {
        Shape = [0],
        DataType = DataType.UInt8,
        ChunkShape = [ShardBytes],
        // Inner chunks stay uncompressed (FLAC already is), so a read fetches exactly the frames' bytes.
        Codecs = [ShardingCodec.Create([InnerChunkBytes], [new CodecMetadata("bytes")], DataType.UInt8).ToMetadata()],
        DimensionNames = ["byte"],
        Attributes = attributes,
    };

    public static ArrayMetadata FrameIndexArray(long frames) => new()
    {
        Shape = [frames, 2],
        DataType = DataType.Int64,
        ChunkShape = [FrameIndexChunk, 2],
        Codecs =
        [
            new CodecMetadata("bytes", new JsonObject { ["endian"] = "little" }),
            new CodecMetadata("zstd", new JsonObject { ["level"] = 3, ["checksum"] = false }),
            new CodecMetadata("crc32c"),
        ],
        DimensionNames = ["frame", "field"],
        Attributes = new JsonObject { ["fields"] = new JsonArray("byte_offset", "first_sample") },
    };

    private static CodecMetadata ToMetadata(this ShardingCodec codec) => new(codec.Name, codec.Configuration);
}
