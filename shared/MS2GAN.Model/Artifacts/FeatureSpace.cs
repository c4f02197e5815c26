namespace MS2GAN.Model.Artifacts;

/// <summary>
/// The base features a model was trained on: which extractor made them and how wide they are. Items and
/// queries must come from the same space, or they are refused.
/// </summary>
/// <param name="ImageFeatures">Image feature extractor ("resnet18", or "precomputed" for a feature dataset).</param>
/// <param name="ImageDim">Width of the image features.</param>
/// <param name="TextFeatures">Text feature extractor ("all-MiniLM-L6-v2", or "precomputed").</param>
/// <param name="TextDim">Width of the text features.</param>
public sealed record FeatureSpace(string ImageFeatures, int ImageDim, string TextFeatures, int TextDim)
{
    /// <summary>The extractor name and width of one modality's features ("image" or "text").</summary>
    public (string Name, int Dim) Of(string modality) => modality switch
    {
        "image" => (ImageFeatures, ImageDim),
        "text" => (TextFeatures, TextDim),
        _ => throw new ArgumentException($"unknown modality {modality}", nameof(modality)),
    };

    /// <summary>
    /// Why <paramref name="features"/> of <paramref name="modality"/> cannot be encoded by a model of this space (the wrong
    /// width, or a value that is not a finite number); null when they can. The one rule for base features wherever they
    /// come from: given at ingest, stored with an item, or sent with a query.
    /// </summary>
    public string? Problem(string modality, ReadOnlySpan<float> features) => Mismatch(modality, features.Length) ?? NonFinite(modality, features);

    /// <summary>Why <paramref name="features"/> cannot be base features of any model (a value that is not a finite number); null when they can.</summary>
    public static string? NonFinite(string modality, ReadOnlySpan<float> features)
    {
        for (var i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
            {
                return $"{modality} features[{i}] is {features[i]}; features must be finite numbers";
            }
        }
        return null;
    }

    /// <summary>Why features of the given modality and width do not fit this space; null when they fit.</summary>
    public string? Mismatch(string modality, int dim)
    {
        var (name, expected) = Of(modality);
        return dim == expected
            ? null
            : $"{modality} features have {dim} dimensions but the model was trained on {expected}-dimensional {name} {modality} features";
    }
}
