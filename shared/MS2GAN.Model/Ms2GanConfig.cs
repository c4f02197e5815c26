using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MS2GAN.Model;

/// <summary>
/// Every size, loss weight and optimiser setting of MS2GAN. Defaults were chosen on development splits (held out of the
/// training split) of Wikipedia, the demo set and the oxygen icons, by the mean over seeds (see README, "Choosing the
/// defaults"); a named configuration, a JSON file and command-line flags override them.
/// </summary>
public sealed record Ms2GanConfig
{
    /// <summary>Hidden widths of each modality-specific sub-network (base features to S).</summary>
    public int[] SpecificHidden { get; init; } = [512];

    /// <summary>Width of the specific features S_I and S_T.</summary>
    public int SpecificDim { get; init; } = 128;

    /// <summary>Hidden widths of the common sub-network (S to C), one set of weights for both modalities.</summary>
    public int[] CommonHidden { get; init; } = [128];

    /// <summary>Width of the shared features C_I and C_T.</summary>
    public int SharedDim { get; init; } = 128;

    /// <summary>Hidden width of the modality discriminator.</summary>
    public int DiscriminatorHidden { get; init; } = 64;

    /// <summary>Activation between hidden layers: relu, leaky_relu, tanh or sigmoid.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Dropout on hidden layers while training.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Weight of label prediction (cross-entropy on S and C).</summary>
    public double LabelWeight { get; init; } = 2.0;

    /// <summary>Weight of the inter-modal (image-text) label-similarity loss on the specific and on the shared features, each on its own.</summary>
    public double InterWeight { get; init; } = 2.0;

    /// <summary>Weight of the intra-modal (image-image, text-text) label-similarity loss.</summary>
    public double IntraWeight { get; init; } = 0.5;

    /// <summary>Weight of the specific-vs-shared difference (orthogonality) loss.</summary>
    public double DifferenceWeight { get; init; } = 0.1;

    /// <summary>Weight of the adversarial loss the generator pays when the discriminator tells the modality.</summary>
    public double AdversarialWeight { get; init; } = 0.05;

    /// <summary>Weight of the pairwise invariance loss: squared distance between C_I and C_T of the same pair.</summary>
    public double InvarianceWeight { get; init; }

    /// <summary>
    /// Weight of the inter-modal label-similarity loss on the joint score (the mean of the specific and the shared
    /// cosines, as retrieval combines them at equal weights), so the combination is trained, not only its parts. 0 by
    /// default: with interWeight 0 and jointWeight 2 joint beat shared only on Wikipedia's development splits, but lost
    /// 0.004 test mAP there (README, "Choosing the defaults").
    /// </summary>
    public double JointWeight { get; init; }

    /// <summary>
    /// What the common sub-network reads: specific (C = common(S), the specific features) or features (C = common(P(x)):
    /// each modality's base features through a layer stack of its own, shaped like its specific one, so S and C are two
    /// separately computed views of the input).
    /// </summary>
    public string SharedInput { get; init; } = "specific";

    /// <summary>Label prediction loss: cross_entropy, or squared (squared error of the logits to the one-hot labels).</summary>
    public string LabelLoss { get; init; } = "cross_entropy";

    /// <summary>Adam's first-moment decay (beta1) of both optimisers.</summary>
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>Adam's second-moment decay (beta2) of both optimisers.</summary>
    public double AdamBeta2 { get; init; } = 0.999;

    /// <summary>
    /// Share of the pairs of each batch replaced by a mix of the pair with another training pair of the same class
    /// (image and text mixed with the same random proportion), a regulariser for small training sets. 0: none.
    /// </summary>
    public double SameClassMix { get; init; } = 0.5;

    /// <summary>
    /// Horizon, in epochs, of the running (exponential) average of the generator's weights that is validated, kept and
    /// exported instead of the last weights; 0: no averaging. The per-step decay follows from the batches per epoch.
    /// </summary>
    public double AverageEpochs { get; init; }

    /// <summary>Validation mAP is measured every this many epochs (and after the last).</summary>
    public int ValidateEvery { get; init; } = 1;

    /// <summary>
    /// Retrieval weights: of the shared fractions 0, 0.1, ..., 1, the validation split's best, unless one nearer equal
    /// weights (0.5/0.5) is within weightMargin / sqrt(validation items) average mAP of it; then the nearest such one.
    /// The margin shrinks as the validation split grows, as the noise of a difference of mAPs does (0.025: 0.0014 on
    /// Wikipedia's 326 validation pairs, 0.0022 on the oxygen icons' 135, chosen on development splits; 0: the best
    /// weighting however small its lead).
    /// </summary>
    public double WeightMargin { get; init; } = 0.025;

    /// <summary>Scale applied to cosine similarities inside the similarity loss (a sharper logistic).</summary>
    public double SimilarityScale { get; init; } = 10.0;

    /// <summary>Adam learning rate of the generator (specific, common and classifier networks).</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Adam learning rate of the discriminator.</summary>
    public double DiscriminatorLearningRate { get; init; } = 5e-4;

    /// <summary>L2 weight decay of both optimisers.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Pairs per mini-batch; 0 (the default): derived from the number of training pairs by <see cref="ForData"/>.</summary>
    public int BatchSize { get; init; }

    /// <summary>Most training epochs (the cap of early stopping); the epoch with the best validation mAP is kept.</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>Early stopping: stop when validation mAP has not improved for this many epochs (0: run to the cap).</summary>
    public int Patience { get; init; } = 40;

    /// <summary>
    /// After the epoch count and the retrieval weights are chosen on validation, train again on every training pair (fit
    /// and validation) for that many epochs and export that network instead of the selected one.
    /// </summary>
    public bool Refit { get; init; } = true;

    /// <summary>Seed for the validation split, initialisation, shuffling and dropout.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Fraction of the training split held out (per class) for validation and model selection.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>
    /// Input normalisation fitted on the training split: standardize, power (signed square root, then standardize),
    /// auto (power for features without negative values, standardize otherwise) or none.
    /// </summary>
    public string Normalization { get; init; } = "auto";

    /// <summary>CPU threads used by TorchSharp (0: all cores).</summary>
    public int Threads { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Serialises the configuration as indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a configuration file; fields it leaves out keep their defaults.</summary>
    /// <exception cref="ConfigException">The file is missing, not a JSON object, names an unknown field or holds an invalid value.</exception>
    public static Ms2GanConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: configuration file not found");
        }
        return new Ms2GanConfig().Overlay(File.ReadAllText(path), path);
    }

    /// <summary>
    /// This configuration with the fields of <paramref name="json"/> (a JSON object, camelCase fields) put over it; the
    /// fields not named keep their values. The result is checked as a whole.
    /// </summary>
    /// <param name="json">The overrides.</param>
    /// <param name="source">What they came from, for messages (a file, a request); "the configuration overrides" by default.</param>
    /// <exception cref="ConfigException">
    /// Not a JSON object, an unknown field, a value of the wrong type or a value that is not usable; <see cref="ConfigException.Errors"/>
    /// names each field.
    /// </exception>
    public Ms2GanConfig Overlay(string json, string source = "the configuration overrides")
    {
        JsonObject overrides;
        try
        {
            overrides = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                as JsonObject ?? throw new ConfigException($"{source}: must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{source}: not valid JSON ({ex.Message})");
        }
        var merged = JsonNode.Parse(ToJson())!.AsObject();
        var unknown = overrides.Select(o => o.Key).Where(k => !merged.ContainsKey(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ConfigException($"{source}: unknown field{(unknown.Length > 1 ? "s" : "")} {string.Join(", ", unknown)}",
                unknown.ToDictionary(k => k, k => new[] { $"{k} is not a configuration field" }, StringComparer.Ordinal));
        }
        foreach (var (name, value) in overrides)
        {
            merged[name] = value?.DeepClone();
        }
        Ms2GanConfig config;
        try
        {
            config = FromJson(merged.ToJsonString());
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('[', '.')[0] : "config";
            throw new ConfigException($"{source}: {field} has a value of the wrong type ({ex.Message})",
                new Dictionary<string, string[]> { [field] = [$"{field} has a value of the wrong type"] });
        }
        return config.Checked(source);
    }

    /// <summary>Parses configuration JSON (as stored in a model manifest).</summary>
    public static Ms2GanConfig FromJson(string json) =>
        JsonSerializer.Deserialize<Ms2GanConfig>(json, JsonOptions) ?? throw new ConfigException("the configuration is empty");

    /// <summary>Largest batch the rule of <see cref="ForData"/> gives (large training sets).</summary>
    public const int MaxAutoBatchSize = 256;

    /// <summary>Smallest batch the rule of <see cref="ForData"/> gives (the similarity losses need pairs of several classes).</summary>
    public const int MinAutoBatchSize = 32;

    /// <summary>Batches per epoch the rule of <see cref="ForData"/> aims at.</summary>
    public const int AutoBatchesPerEpoch = 4;

    /// <summary>
    /// This configuration for a training set of <paramref name="trainItems"/> pairs, with every field left to the data
    /// decided. The rule: batchSize 0 becomes the fit share of the pairs (1 - validationFraction) divided by
    /// <see cref="AutoBatchesPerEpoch"/>, between <see cref="MinAutoBatchSize"/> and <see cref="MaxAutoBatchSize"/>. A large set
    /// keeps the batch of 256 the defaults were chosen with (Wikipedia's 2173 pairs: 256; a batch of 184 scored lower there), and
    /// a small one still gets at least 4 updates an epoch, so the patience means enough updates (the 902 oxygen icons: 191, 480
    /// demo items: 102). Fields set explicitly are kept. (The other rule that follows the data is in
    /// <see cref="Normalization"/>: auto takes the square root of features without negative values.)
    /// </summary>
    public Ms2GanConfig ForData(int trainItems)
    {
        if (BatchSize != 0)
        {
            return this;
        }
        var fit = (int)Math.Round(trainItems * (1 - ValidationFraction));
        return this with { BatchSize = Math.Clamp(fit / AutoBatchesPerEpoch, MinAutoBatchSize, MaxAutoBatchSize) };
    }

    /// <summary>Every problem with the values, in words; empty when the configuration is usable.</summary>
    public IReadOnlyList<string> Validate() => Problems().SelectMany(p => p.Value).ToList();

    /// <summary>
    /// Every problem with the values by the camelCase name of the field it is about (the key a ValidationProblem
    /// names); empty when the configuration is usable.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, string message)
        {
            if (!problems.TryGetValue(name, out var list))
            {
                problems[name] = list = [];
            }
            list.Add(message);
        }
        void Positive(string name, double value)
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                Add(name, $"{name} must be positive (got {value})");
            }
        }
        void NonNegative(string name, double value)
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                Add(name, $"{name} must be zero or positive (got {value})");
            }
        }
        void Fraction(string name, double value, bool oneAllowed)
        {
            if (!(value >= 0) || value > 1 || (!oneAllowed && value >= 1))
            {
                Add(name, $"{name} must be in [0, 1{(oneAllowed ? "]" : ")")} (got {value})");
            }
        }
        void OneOf(string name, string value, params string[] allowed)
        {
            if (!allowed.Contains(value, StringComparer.Ordinal))
            {
                Add(name, $"{name} must be {string.Join(", ", allowed[..^1])} or {allowed[^1]} (got {value})");
            }
        }
        void Widths(string name, int[]? widths)
        {
            if (widths is null || widths.Any(w => w <= 0))
            {
                Add(name, $"{name} must list positive widths (got [{string.Join(", ", widths ?? [])}])");
            }
        }
        Widths("specificHidden", SpecificHidden);
        Positive("specificDim", SpecificDim);
        Widths("commonHidden", CommonHidden);
        Positive("sharedDim", SharedDim);
        Positive("discriminatorHidden", DiscriminatorHidden);
        OneOf("activation", Activation, "relu", "leaky_relu", "tanh", "sigmoid");
        Fraction("dropout", Dropout, oneAllowed: false);
        NonNegative("labelWeight", LabelWeight);
        NonNegative("interWeight", InterWeight);
        NonNegative("intraWeight", IntraWeight);
        NonNegative("differenceWeight", DifferenceWeight);
        NonNegative("adversarialWeight", AdversarialWeight);
        NonNegative("invarianceWeight", InvarianceWeight);
        NonNegative("jointWeight", JointWeight);
        NonNegative("weightMargin", WeightMargin);
        OneOf("labelLoss", LabelLoss, "cross_entropy", "squared");
        OneOf("sharedInput", SharedInput, "specific", "features");
        Positive("similarityScale", SimilarityScale);
        Positive("learningRate", LearningRate);
        Positive("discriminatorLearningRate", DiscriminatorLearningRate);
        Fraction("adamBeta1", AdamBeta1, oneAllowed: false);
        Fraction("adamBeta2", AdamBeta2, oneAllowed: false);
        NonNegative("weightDecay", WeightDecay);
        NonNegative("batchSize", BatchSize);
        Positive("epochs", Epochs);
        NonNegative("patience", Patience);
        Positive("validateEvery", ValidateEvery);
        NonNegative("averageEpochs", AverageEpochs);
        Fraction("sameClassMix", SameClassMix, oneAllowed: true);
        NonNegative("threads", Threads);
        if (!(ValidationFraction > 0 && ValidationFraction < 0.9))
        {
            Add("validationFraction", $"validationFraction must be in (0, 0.9) (got {ValidationFraction})");
        }
        OneOf("normalization", Normalization, "standardize", "power", "auto", "none");
        return problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>This configuration when it is usable.</summary>
    /// <param name="source">What the configuration came from, to begin the message with (a file, a named configuration).</param>
    /// <exception cref="ConfigException">A value is not usable; <see cref="ConfigException.Errors"/> names each field.</exception>
    public Ms2GanConfig Checked(string? source = null)
    {
        var problems = Problems();
        if (problems.Count == 0)
        {
            return this;
        }
        var text = string.Join("; ", problems.SelectMany(p => p.Value));
        throw new ConfigException(source is null ? text : $"{source}: {text}", problems);
    }
}
