using System.Text.Json.Nodes;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;
using static ZarrAudio.Zarr.Tests.TestArrays;

namespace ZarrAudio.Zarr.Tests;

/// <summary>
/// Interoperability both ways with zarrita (npm), an independent Zarr v3 implementation. Where zarrita
/// cannot write a feature (gzip, crc32c, shards), tests/conformance/spec-fixtures.mjs builds the store
/// byte by byte from the specification; that script, not zarrita, is the independent side there.
/// </summary>
public class ConformanceTests
{
    private static JsonObject Manifest(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static async Task AssertReadsManifest(string storeDir, JsonObject manifest)
    {
        Assert.NotEmpty(manifest);
        using var store = new DirectoryStore(storeDir, readOnly: true);
        foreach (var (path, expected) in manifest)
        {
            var array = await ZarrArray.OpenAsync(store, path);
            Assert.Equal(expected!["dtype"]!.GetValue<string>(), array.DataType.ToName());
            Assert.Equal(expected["shape"]!.AsArray().Select(s => s!.GetValue<long>()), array.Shape);
            var bytes = await array.ReadRegionAsync(new long[array.Rank], array.Shape);
            Assert.True(expected["sha256"]!.GetValue<string>() == Sha256(bytes), $"{path}: decoded bytes differ from what zarrita wrote");
        }
    }

    [Fact]
    public async Task ReadsEveryArrayZarritaWrites()
    {
        using var dir = new TempDirectory();
        var manifest = Manifest(ProcessRunner.Node("zarrita-write.mjs", dir.Path));
        Assert.Contains("sub/int64-le", manifest.Select(m => m.Key));
        await AssertReadsManifest(dir.Path, manifest);

        using var store = new DirectoryStore(dir.Path, readOnly: true);
        var root = await ZarrGroup.OpenAsync(store);
        Assert.Equal("written by zarrita", root.Attributes["title"]!.GetValue<string>());
        Assert.Equal("two", root.Attributes["nested"]!["list"]![1]!.GetValue<string>());
        var sub = await root.OpenGroupAsync("sub");
        var children = await sub.ListChildrenAsync().ToListAsync();
        Assert.Equal(manifest.Count, children.Count);
        var transposed = await sub.OpenArrayAsync("transpose");
        Assert.Equal(["d0", "d1", "d2"], transposed.Metadata.DimensionNames!);
    }

    [Fact]
    public async Task ReadsSpecBuiltGzipCrcAndShardFixtures()
    {
        using var dir = new TempDirectory();
        var manifest = Manifest(ProcessRunner.Node("spec-fixtures.mjs", dir.Path));
        Assert.Equal(["gzip", "crc", "shard-end", "shard-start", "bytestream"], manifest.Select(m => m.Key));
        await AssertReadsManifest(dir.Path, manifest);
    }

    [Fact]
    public async Task ShardFixtureReadsAgreeWithZarrita()
    {
        // zarrita reads shards with the index at the end: its hash must match the spec-built manifest, which
        // checks the fixture builder itself against an independent reader.
        using var dir = new TempDirectory();
        var manifest = Manifest(ProcessRunner.Node("spec-fixtures.mjs", dir.Path));
        var read = Manifest(ProcessRunner.Node("zarrita-read.mjs", dir.Path, "a:shard-end", "a:gzip", "a:crc", "a:bytestream"));
        foreach (var path in new[] { "shard-end", "gzip", "crc", "bytestream" })
            Assert.Equal(manifest[path]!["sha256"]!.GetValue<string>(), read["arrays"]![path]!["sha256"]!.GetValue<string>());
    }

    public static TheoryData<string> Layouts() => ["directory", "zip"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task ZarritaReadsEveryArrayWeWrite(string layout)
    {
        using var dir = new TempDirectory();
        var location = layout == "zip" ? dir.Combine("store.zip") : dir.Combine("store");
        IStore store = layout == "zip" ? new ZipStore(location, readOnly: false, create: true) : new DirectoryStore(location, create: true);
        var expected = new Dictionary<string, string>();
        var root = await ZarrGroup.CreateAsync(store, "", new JsonObject { ["writer"] = "ZarrAudio", ["n"] = 42 });
        var group = await root.CreateGroupAsync("data", new JsonObject { ["nested"] = new JsonObject { ["x"] = new JsonArray(1, 2) } });
        foreach (var type in Enum.GetValues<DataType>())
        {
            var single = type.Size() == 1;
            var cases = new List<(string Name, IReadOnlyList<CodecMetadata> Codecs, char Sep)>
            {
                ("le", [Little], '/'),
                ("gzip", [Little, Gzip()], '.'),
                ("zstd-crc", [Little, Zstd(5, true), Crc], '/'),
                ("shard", [Sharding([4, 3], [Little, Zstd()])], '/'),
                ("blosc", [Little, Blosc("lz4", "shuffle", type.Size())], '/'),
                ("blosc-bit-shard", [Sharding([4, 3], [Little, Blosc("zstd", "bitshuffle", type.Size()), Crc])], '/'),
            };
            if (!single) cases.Add(("be", [Big], '/'));
            foreach (var (name, codecs, sep) in cases)
            {
                long[] shape = [21, 7];
                var data = Data(type, 21 * 7, name.Length + (int)type);
                var array = await group.CreateArrayAsync($"{type.ToName()}-{name}",
                    Meta(type, shape, name.Contains("shard") ? [8, 6] : [5, 4], codecs, separator: sep));
                await array.WriteRegionAsync([0, 0], shape, data);
                expected[array.Path] = Sha256(data);
            }
        }
        var transpose = await group.CreateArrayAsync("transpose", Meta(DataType.Int32, [6, 7, 5], [4, 3, 5],
            [new CodecMetadata("transpose", new JsonObject { ["order"] = new JsonArray(2, 0, 1) }), Little]));
        var tdata = Data(DataType.Int32, 6 * 7 * 5, 77);
        await transpose.WriteRegionAsync([0, 0, 0], [6, 7, 5], tdata);
        expected[transpose.Path] = Sha256(tdata);
        store.Dispose();

        var nodes = expected.Keys.Select(k => "a:" + k).Append("g:").Append("g:data").ToArray();
        var read = Manifest(ProcessRunner.Node("zarrita-read.mjs", [location, .. nodes]));
        foreach (var (path, sha) in expected)
            Assert.True(sha == read["arrays"]![path]!["sha256"]!.GetValue<string>(), $"zarrita decodes {path} differently");
        Assert.Equal("ZarrAudio", read["groups"]![""]!["writer"]!.GetValue<string>());
        Assert.Equal(2, read["groups"]!["data"]!["nested"]!["x"]![1]!.GetValue<int>());
    }

    [Fact]
    public async Task TransposeEncodesLikeZarrita()
    {
        // Beyond decoded values: the stored chunk bytes of a transposed array must equal zarrita's, byte for byte.
        using var dir = new TempDirectory();
        var manifest = Manifest(ProcessRunner.Node("zarrita-write.mjs", dir.Path));
        using var theirs = new DirectoryStore(dir.Path, readOnly: true);
        var source = await ZarrArray.OpenAsync(theirs, "sub/transpose");
        var data = await source.ReadRegionAsync([0, 0, 0], source.Shape);
        Assert.Equal(manifest["sub/transpose"]!["sha256"]!.GetValue<string>(), Sha256(data));

        using var ours = new MemoryStore();
        var copy = await ZarrArray.CreateAsync(ours, "t", Meta(DataType.Int32, source.Shape, source.ChunkShape, source.Metadata.Codecs, source.Metadata.FillBytes));
        await copy.WriteRegionAsync([0, 0, 0], source.Shape, data);
        var keys = await ours.ListPrefixAsync("t/c/").ToListAsync();
        Assert.Equal(6, keys.Count);
        foreach (var key in keys)
            Assert.Equal(await theirs.GetAsync("sub/transpose/" + key[2..]), await ours.GetAsync(key));
    }
}
