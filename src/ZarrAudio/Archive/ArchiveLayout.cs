using System.Text.Json.Nodes;

namespace ZarrAudio.Archive;

/// <summary>
/// Names and shapes of everything an archive stores (see docs/ARCHITECTURE.md, "On-disk layout").
/// Layout 2 (layout 1 is the same without the catalog; a writable mount upgrades it):
///   {mount}/zarr.json                      group, attributes.zarraudio = {kind: archive, layout: 2, catalog: {...}}
///   {mount}/catalog/pages/{n}.json         the catalog: ids n*100..n*100+99 in the consolidated-metadata shape
///   {mount}/catalog/pending/{id}           a change of that recording's zarr.json not yet in its page (RecordingCatalog)
///   {mount}/{id}/claim.json                exclusive-create claim of the id (never a Zarr node; a failed or removed id keeps
///                                          it only while it is the highest id, so ids are never reused)
///   {mount}/{id}/lock.json                 held while the recording's metadata is changed or it is removed
///   {mount}/{id}/zarr.json                 recording group, written last: its presence commits the import
///   {mount}/{id}/...                       the arrays of the recording's codec (technical.codec; see Codecs/*)
///   {mount}/sha256/{hex}                   exclusive-create claim of a source hash: the id that holds it
/// </summary>
public static class ArchiveLayout
{
    public const int Version = 2;
    /// <summary>The first layout with a catalog.</summary>
    public const int CatalogVersion = 2;
    public const string MarkerKey = "zarraudio";

    public static string Join(string mount, string rest) => mount.Length == 0 ? rest : mount + "/" + rest;
    public static string RecordingPath(string mount, long id) => Join(mount, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static string ClaimKey(string mount, long id) => RecordingPath(mount, id) + "/claim.json";
    public static string LockKey(string mount, long id) => RecordingPath(mount, id) + "/lock.json";
    public static string HashClaimKey(string mount, string sha256) => Join(mount, "sha256/" + sha256);

    public static JsonObject ArchiveMarker() => new()
    {
        [MarkerKey] = new JsonObject { ["kind"] = "archive", ["layout"] = Version, ["catalog"] = RecordingCatalog.Description() },
    };

}
