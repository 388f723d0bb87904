using ZarrAudio.Reading;

namespace ZarrAudio.Tests;

/// <summary>Fixed-length crops: where they sit, reproducible by seed and row, and short segments padded by zeros or reflection.</summary>
public class CropTests
{
    [Fact]
    public void CropsSitWhereAskedAndRandomOnesDependOnlyOnSeedAndRow()
    {
        Assert.Equal(new CropPlan(1000, 100, 0, 0), Crops.Plan(1000, 500, 100, CropMode.Start, 0, 0));
        Assert.Equal(new CropPlan(1200, 100, 0, 0), Crops.Plan(1000, 500, 100, CropMode.Center, 0, 0));
        var draws = Enumerable.Range(0, 200).Select(row => Crops.Plan(1000, 5000, 1000, CropMode.Random, 7, row).Start).ToList();
        Assert.All(draws, s => Assert.InRange(s, 1000, 5000));
        // 200 draws from 4,001 places: about 195 distinct ones are expected.
        Assert.True(draws.Distinct().Count() > 185, $"random crops repeat too often: {draws.Distinct().Count()} distinct");
        Assert.InRange(draws.Average(), 2600, 3400);
        // The same seed and row: the same crop, whatever order or thread draws it; another seed: another crop.
        var again = Enumerable.Range(0, 200).AsParallel().Select(row => (row, Crops.Plan(1000, 5000, 1000, CropMode.Random, 7, row).Start)).OrderBy(p => p.row).Select(p => p.Start);
        Assert.Equal(draws, again);
        Assert.NotEqual(draws, Enumerable.Range(0, 200).Select(row => Crops.Plan(1000, 5000, 1000, CropMode.Random, 8, row).Start));
        // A fixed value, so a change of the generator (which would change every training set) is caught.
        Assert.Equal(2754L, draws[0]);
        Assert.Throws<SampleRangeException>(() => Crops.Plan(0, 10, 0, CropMode.Start, 0, 0));
    }

    [Fact]
    public void ShortSegmentsArePaddedWithZerosOrByReflection()
    {
        Assert.Equal(new CropPlan(50, 4, 3, 3), Crops.Plan(50, 4, 10, CropMode.Center, 0, 0));
        var frames = new short[,] { { 1 }, { 2 }, { 3 }, { 4 } };
        Assert.Equal(new short[] { 0, 0, 1, 2, 3, 4, 0 }, Flat(Crops.Pad(frames, 2, 1, PadMode.Zero)));
        Assert.Equal(new short[] { 3, 2, 1, 2, 3, 4, 3, 2, 1, 2 }, Flat(Crops.Pad(frames, 2, 4, PadMode.Reflect)));
    }

    private static short[] Flat(short[,] a) => Enumerable.Range(0, a.GetLength(0)).Select(i => a[i, 0]).ToArray();
}
