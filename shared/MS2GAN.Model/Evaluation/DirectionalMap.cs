using System.Text.Json.Serialization;

namespace MS2GAN.Model.Evaluation;

/// <summary>mAP in both cross-modal directions.</summary>
public sealed record DirectionalMap
{
    /// <summary>Creates the pair of directional mAPs.</summary>
    [JsonConstructor]
    public DirectionalMap(double i2t, double t2i)
    {
        I2T = i2t;
        T2I = t2i;
    }

    /// <summary>Image queries against the text database.</summary>
    [JsonPropertyName("i2t")]
    public double I2T { get; init; }

    /// <summary>Text queries against the image database.</summary>
    [JsonPropertyName("t2i")]
    public double T2I { get; init; }

    /// <summary>The mean of both directions.</summary>
    public double Avg => (I2T + T2I) / 2;
}
