using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>
/// Image/text pairs drawn around class centres, each modality with its own specific centres and a shared part offset
/// by a per-modality direction: the shape of trained MS2GAN vectors (classes, and a gap between the modalities).
/// </summary>
internal sealed class ClusteredCorpus
{
    private readonly int _dim;
    private readonly Random _random;
    private readonly float[][] _imageCentres;
    private readonly float[][] _textCentres;
    private readonly float[][] _sharedCentres;
    private readonly float[] _imageOffset;
    private readonly float[] _textOffset;

    public ClusteredCorpus(int dim, int clusters, int seed)
    {
        _dim = dim;
        _random = new Random(seed);
        _imageCentres = [.. Enumerable.Range(0, clusters).Select(_ => VectorCorpus.RandomVector(_random, dim))];
        _textCentres = [.. Enumerable.Range(0, clusters).Select(_ => VectorCorpus.RandomVector(_random, dim))];
        _sharedCentres = [.. Enumerable.Range(0, clusters).Select(_ => VectorCorpus.RandomVector(_random, dim))];
        _imageOffset = VectorCorpus.RandomVector(_random, dim);
        _textOffset = VectorCorpus.RandomVector(_random, dim);
    }

    /// <summary>The image record, then the text record, of one new item of <paramref name="cluster"/>.</summary>
    public VectorRecord[] Pair(string itemId, int cluster)
    {
        var shared = Around(_sharedCentres[cluster], null);
        return
        [
            new(itemId, VectorModalities.Image, Around(_imageCentres[cluster], null), Around(shared, _imageOffset), [], new Dictionary<string, string>()),
            new(itemId, VectorModalities.Text, Around(_textCentres[cluster], null), Around(shared, _textOffset), [], new Dictionary<string, string>()),
        ];
    }

    private float[] Around(float[] centre, float[]? offset)
    {
        var v = new float[_dim];
        for (var i = 0; i < _dim; i++)
        {
            v[i] = centre[i] + (offset?[i] ?? 0) + (float)((_random.NextDouble() * 2) - 1);
        }

        return v;
    }
}
