namespace MS2GAN.Model.Evaluation;

/// <summary>How much the specific and the shared cosine similarities count in a joint score.</summary>
/// <param name="Specific">Weight of cos(S_query, S_item).</param>
/// <param name="Shared">Weight of cos(C_query, C_item).</param>
public sealed record RetrievalWeights(double Specific, double Shared)
{
    /// <summary>Shared features only.</summary>
    public static RetrievalWeights SharedOnly { get; } = new(0, 1);

    /// <summary>Specific features only.</summary>
    public static RetrievalWeights SpecificOnly { get; } = new(1, 0);

    /// <summary>Checks the weights are usable: finite, not negative, not both zero.</summary>
    public RetrievalWeights Validate()
    {
        if (!double.IsFinite(Specific) || !double.IsFinite(Shared) || Specific < 0 || Shared < 0 || Specific + Shared <= 0)
        {
            throw new ArgumentException($"weights must be finite, non-negative and not both zero (specific {Specific}, shared {Shared})");
        }
        return this;
    }
}
