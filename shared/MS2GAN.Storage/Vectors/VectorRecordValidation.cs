using System.Numerics.Tensors;

namespace MS2GAN.Storage.Vectors;

/// <summary>Validation and normalisation shared by the embedded store (and usable by other stores).</summary>
internal static class VectorRecordValidation
{
    public static byte ModalityCode(string? modality) => modality switch
    {
        VectorModalities.Image => 1,
        VectorModalities.Text => 2,
        _ => 0,
    };

    public static string ModalityName(byte code) => code == 1 ? VectorModalities.Image : VectorModalities.Text;

    /// <summary>Returns a unit-length copy, or throws <see cref="ArgumentException"/> naming the item.</summary>
    public static float[] Normalised(float[]? vector, int dim, string what, string itemId)
    {
        if (vector is null || vector.Length != dim)
        {
            throw new ArgumentException(
                $"Item '{itemId}': {what} vector has {vector?.Length ?? 0} dimensions, the index expects {dim}.");
        }

        var sumSquares = 0d;
        foreach (var v in vector)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"Item '{itemId}': {what} vector contains NaN or infinite values.");
            }

            sumSquares += (double)v * v;
        }

        if (sumSquares == 0)
        {
            throw new ArgumentException($"Item '{itemId}': {what} vector is all zeros and cannot be normalised.");
        }

        var copy = new float[dim];
        TensorPrimitives.Multiply(vector, (float)(1 / Math.Sqrt(sumSquares)), copy);
        return copy;
    }

    /// <summary>A unit-length copy of a query vector; zeros when its weight is 0 and it is empty or all zeros.</summary>
    public static float[] NormalisedQuery(float[]? vector, int dim, double weight, string what)
    {
        if (!double.IsFinite(weight))
        {
            throw new ArgumentException($"Query {what} weight must be finite.");
        }

        if (weight == 0 && (vector is null || vector.Length == 0))
        {
            return new float[dim];
        }

        if (vector is null || vector.Length != dim)
        {
            throw new ArgumentException($"Query {what} vector has {vector?.Length ?? 0} dimensions, the index expects {dim}.");
        }

        var sumSquares = 0d;
        foreach (var v in vector)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"Query {what} vector contains NaN or infinite values.");
            }

            sumSquares += (double)v * v;
        }

        var copy = new float[dim];
        if (sumSquares > 0)
        {
            TensorPrimitives.Multiply(vector, (float)(1 / Math.Sqrt(sumSquares)), copy);
        }
        else if (weight != 0)
        {
            throw new ArgumentException($"Query {what} vector is all zeros but its weight is {weight}.");
        }

        return copy;
    }

    public static void ValidateQuery(VectorQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Target is not (VectorModalities.Image or VectorModalities.Text or VectorModalities.Any))
        {
            throw new ArgumentException($"Query target must be 'image', 'text' or 'any', not '{query.Target}'.");
        }

        if (query.K < 1 || query.Offset < 0 || (long)query.K + query.Offset > VectorQuery.MaxResultWindow)
        {
            throw new ArgumentException(
                $"Query needs K >= 1, Offset >= 0 and K + Offset <= {VectorQuery.MaxResultWindow} (K={query.K}, Offset={query.Offset}).");
        }

        if (!(query.MinAutoLabelConfidence is >= 0 and <= 1))
        {
            throw new ArgumentException($"Query MinAutoLabelConfidence must be between 0 and 1, not {query.MinAutoLabelConfidence}.");
        }

        if (query.AutoLabel is not null && query.AutoLabel.Length == 0)
        {
            throw new ArgumentException("Query AutoLabel must not be empty.");
        }
    }

    /// <summary>Checks a record's auto-label: a label and a confidence in [0, 1]; throws <see cref="ArgumentException"/> naming the item.</summary>
    public static void ValidateAutoLabel(AutoLabel? autoLabel, string itemId)
    {
        if (autoLabel is not null && (string.IsNullOrEmpty(autoLabel.Label) || !(autoLabel.Confidence is >= 0 and <= 1)))
        {
            throw new ArgumentException($"Item '{itemId}': an auto-label needs a label and a confidence between 0 and 1.");
        }
    }
}
