using System.Collections;
using ZarrAudio.Metadata;

namespace ZarrAudio.Tests;

/// <summary>User metadata from .NET callers: the engine refuses what it cannot store, naming the key.</summary>
public class MetadataValuesTests
{
    [Fact]
    public void ACycleIsRefusedNamingTheKeyNotAStackOverflow()
    {
        var inner = new Hashtable { ["name"] = "loop" };
        inner["self"] = inner;
        var e = Assert.Throws<InvalidMetadataException>(() => MetadataValues.FromDictionary(new Hashtable { ["site"] = inner }));
        Assert.Equal("site.self", e.Key);
        var list = new ArrayList { 1 };
        list.Add(list);
        Assert.Equal("tags[1]", Assert.Throws<InvalidMetadataException>(() => MetadataValues.FromDictionary(new Hashtable { ["tags"] = list })).Key);
    }

    [Fact]
    public void ValuesThatAreNotDataAndNonFiniteNumbersAreRefused()
    {
        Assert.Contains("Process", Assert.Throws<InvalidMetadataException>(() =>
            MetadataValues.FromDictionary(new Hashtable { ["p"] = System.Diagnostics.Process.GetCurrentProcess() })).Message);
        Assert.Equal("x", Assert.Throws<InvalidMetadataException>(() => MetadataValues.FromDictionary(new Hashtable { ["x"] = double.NaN })).Key);
    }

    [Fact]
    public void DatesRoundTripAndDateLikeTextStaysText()
    {
        var utc = new DateTime(2024, 5, 31, 22, 39, 11, DateTimeKind.Utc);
        var offset = new DateTimeOffset(2024, 5, 30, 18, 0, 0, TimeSpan.FromHours(-3));
        var back = MetadataValues.ToHashtable(MetadataValues.FromDictionary(new Hashtable { ["a"] = utc, ["b"] = offset, ["c"] = "2024-05-31T22:39:11Z" }));
        Assert.Equal(utc, Assert.IsType<DateTime>(back["a"]));
        Assert.Equal(offset, Assert.IsType<DateTimeOffset>(back["b"]));
        Assert.Equal(TimeSpan.FromHours(-3), ((DateTimeOffset)back["b"]!).Offset);
        Assert.IsType<string>(back["c"]);
    }
}
