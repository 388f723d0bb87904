using System.Text;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Zarr.Tests;

public class MetadataTests
{
    private const string ValidArray = """
        {"zarr_format":3,"node_type":"array","shape":[10],"data_type":"float64",
         "chunk_grid":{"name":"regular","configuration":{"chunk_shape":[4]}},
         "chunk_key_encoding":{"name":"default","configuration":{"separator":"/"}},
         "fill_value":FILL,"codecs":[{"name":"bytes","configuration":{"endian":"little"}}]EXTRA}
        """;

    private static NodeMetadata Parse(string json) => NodeMetadata.Parse(Encoding.UTF8.GetBytes(json), "node");
    private static ArrayMetadata Array(string fill, string extra = "") => (ArrayMetadata)Parse(ValidArray.Replace("FILL", fill).Replace("EXTRA", extra));

    [Theory]
    [InlineData("\"NaN\"", 0x7FF8000000000000ul)]
    [InlineData("\"Infinity\"", 0x7FF0000000000000ul)]
    [InlineData("\"-Infinity\"", 0xFFF0000000000000ul)]
    [InlineData("\"0x7ff8000000000001\"", 0x7FF8000000000001ul)]
    [InlineData("-0.0", 0x8000000000000000ul)]
    [InlineData("1.5", 0x3FF8000000000000ul)]
    public void FloatFillValuesFollowTheSpec(string json, ulong bits)
    {
        var metadata = Array(json);
        Assert.Equal(bits, BitConverter.ToUInt64(metadata.FillBytes));
        // And they are written back in a form that parses to the same bits.
        var again = (ArrayMetadata)NodeMetadata.Parse(metadata.ToBytes(), "node");
        Assert.Equal(bits, BitConverter.ToUInt64(again.FillBytes));
    }

    [Fact]
    public void Int64AndUInt64FillValuesAreExact()
    {
        var int64 = ValidArray.Replace("float64", "int64").Replace("FILL", "9007199254740993").Replace("EXTRA", "");
        Assert.Equal(9007199254740993L, BitConverter.ToInt64(((ArrayMetadata)Parse(int64)).FillBytes));
        var uint64 = ValidArray.Replace("float64", "uint64").Replace("FILL", "18446744073709551615").Replace("EXTRA", "");
        var parsed = (ArrayMetadata)Parse(uint64);
        Assert.Equal(ulong.MaxValue, BitConverter.ToUInt64(parsed.FillBytes));
        Assert.Contains("18446744073709551615", Encoding.UTF8.GetString(parsed.ToBytes()));
    }

    [Theory]
    [InlineData("int8", "128")]
    [InlineData("uint8", "-1")]
    [InlineData("int32", "1.5")]
    [InlineData("bool", "0")]
    [InlineData("float32", "\"nan\"")]
    [InlineData("float64", "\"0x7ff8\"")]
    [InlineData("int16", "null")]
    public void InvalidFillValuesAreRefused(string type, string fill)
    {
        var json = ValidArray.Replace("float64", type).Replace("FILL", fill).Replace("EXTRA", "");
        var e = Assert.Throws<ZarrMetadataException>(() => Parse(json));
        Assert.Contains("fill_value", e.Message);
        Assert.Equal("node", e.NodePath);
    }

    [Fact]
    public void UnknownKeysAreRefusedUnlessMustUnderstandIsFalse()
    {
        var e = Assert.Throws<ZarrMetadataException>(() => Array("0", ",\"extension_x\":{\"a\":1}"));
        Assert.Contains("extension_x", e.Message);
        Assert.Throws<ZarrMetadataException>(() => Array("0", ",\"extension_x\":{\"must_understand\":true}"));
        Array("0", ",\"extension_x\":{\"must_understand\":false,\"a\":1}");
        Assert.Throws<ZarrMetadataException>(() => Parse("""{"zarr_format":3,"node_type":"group","consolidated":1}"""));
        Parse("""{"zarr_format":3,"node_type":"group","consolidated_metadata":{"must_understand":false}}""");
    }

    [Theory]
    [InlineData("shape")]
    [InlineData("data_type")]
    [InlineData("chunk_grid")]
    [InlineData("chunk_key_encoding")]
    [InlineData("fill_value")]
    [InlineData("codecs")]
    public void MissingRequiredFieldsAreNamed(string field)
    {
        var node = JsonNode.Parse(ValidArray.Replace("FILL", "0").Replace("EXTRA", ""))!.AsObject();
        node.Remove(field);
        var e = Assert.Throws<ZarrMetadataException>(() => Parse(node.ToJsonString()));
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"zarr_format":2,"node_type":"group"}""")]
    [InlineData("""{"zarr_format":3,"node_type":"folder"}""")]
    [InlineData("""{"zarr_format":3,"node_type":"group","attributes":[]}""")]
    public void MalformedDocumentsAreRefused(string json) => Assert.Throws<ZarrMetadataException>(() => Parse(json));

    [Fact]
    public void OtherInvalidArrayMetadataIsRefused()
    {
        var baseJson = ValidArray.Replace("FILL", "0").Replace("EXTRA", "");
        Assert.Throws<ZarrMetadataException>(() => Parse(baseJson.Replace("\"float64\"", "\"complex64\"")));
        Assert.Throws<ZarrMetadataException>(() => Parse(baseJson.Replace("\"regular\"", "\"rectilinear\"")));
        Assert.Throws<ZarrMetadataException>(() => Parse(baseJson.Replace("[4]", "[4,4]")));
        Assert.Throws<ZarrMetadataException>(() => Parse(baseJson.Replace("[4]", "[0]")));
        Assert.Throws<ZarrMetadataException>(() => Parse(baseJson.Replace("\"separator\":\"/\"", "\"separator\":\"-\"")));
        Assert.Throws<ZarrMetadataException>(() => Parse(baseJson.Replace("[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}}]", "[]")));
        Assert.Throws<ZarrMetadataException>(() => Array("0", ",\"storage_transformers\":[{\"name\":\"x\"}]"));
        Array("0", ",\"storage_transformers\":[]");
    }

    [Fact]
    public void BareStringCodecsAreReadButNeverWritten()
    {
        var json = ValidArray.Replace("float64", "uint8").Replace("FILL", "0").Replace("EXTRA", "")
            .Replace("[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}}]", "[\"bytes\"]");
        var metadata = (ArrayMetadata)Parse(json);
        Assert.Equal("bytes", metadata.Codecs[0].Name);
        var written = JsonNode.Parse(metadata.ToBytes())!;
        Assert.IsType<JsonObject>(written["codecs"]![0]);
    }

    [Fact]
    public void AttributesKeepSixtyFourBitIntegersAndNesting()
    {
        var group = (GroupMetadata)Parse("""{"zarr_format":3,"node_type":"group","attributes":{"id":9007199254740993,"u":18446744073709551615,"n":{"list":[1,{"x":null}]}}}""");
        var again = (GroupMetadata)NodeMetadata.Parse(group.ToBytes(), "");
        Assert.Equal(9007199254740993L, again.Attributes["id"]!.GetValue<long>());
        Assert.Equal(ulong.MaxValue, again.Attributes["u"]!.GetValue<ulong>());
        Assert.Null(again.Attributes["n"]!["list"]![1]!["x"]);
    }

    [Fact]
    public void WrittenArrayMetadataHasEveryRequiredField()
    {
        var metadata = TestArrays.Meta(DataType.Int16, [5, 6], [2, 3], [TestArrays.Little]);
        var json = JsonNode.Parse(metadata.ToBytes())!.AsObject();
        foreach (var key in new[] { "zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs" })
            Assert.True(json.ContainsKey(key), key);
        Assert.Equal(0, json["fill_value"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("__reserved")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("zarr.json")]
    public void ReservedAndInvalidNodeNamesAreRefused(string name) =>
        Assert.Throws<ZarrInvalidNodeNameException>(() => NodeName.Validate(name, "parent"));

    [Fact]
    public void ChunkKeysFollowTheEncoding()
    {
        Assert.Equal("c/1/23", ChunkKeyEncoding.Default.Encode([1, 23]));
        Assert.Equal("c.1.23", ChunkKeyEncoding.DefaultWith('.').Encode([1, 23]));
        Assert.Equal("c", ChunkKeyEncoding.Default.Encode([]));
        Assert.Equal("1.23", new ChunkKeyEncoding("v2", '.').Encode([1, 23]));
        Assert.Equal("0", new ChunkKeyEncoding("v2", '.').Encode([]));
    }
}
