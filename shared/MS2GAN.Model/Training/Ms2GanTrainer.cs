using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Data;
using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace MS2GAN.Model.Training;

/// <summary>
/// Trains MS2GAN on paired image/text features with labels. Each batch first updates the modality
/// discriminator on detached shared features, then the generator on label prediction, inter- and
/// intra-modal label similarity, the specific-vs-shared difference and the adversarial term. After every
/// epoch the validation split (carved from the training split, stratified, seeded) is scored and the best
/// epoch's weights are kept. Nothing of any test split is seen here.
/// </summary>
public sealed class Ms2GanTrainer(Ms2GanConfig settings, ILogger logger)
{
    private Ms2GanConfig _config = settings;

    /// <summary>How the validation weight curve's log line starts; the curve (11 mAPs, shared fraction 0 to 1) follows.</summary>
    public const string ValidationCurveLog = "Validation mAP by shared fraction 0..1: ";

    /// <summary>Weights the joint score uses while selecting the best epoch.</summary>
    public static readonly RetrievalWeights SelectionWeights = new(0.5, 0.5);

    /// <summary>Trains on <paramref name="train"/> (the whole training split) and returns the best network.</summary>
    public TrainingResult Train(FeatureSplit train, int classCount, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        CheckConfig(train.Count);
        var stopwatch = Stopwatch.StartNew();
        var split = ValidationSplit.Stratified(train.Labels, _config.ValidationFraction, _config.Seed);
        if (split.Validation.Length < 2 || split.Fit.Length < 2)
        {
            throw new ArgumentException($"too few training items to hold out a validation split ({train.Labels.Length} items)");
        }
        var fitImage = train.Image.SelectRows(split.Fit);
        var fitText = train.Text.SelectRows(split.Fit);
        var imageNormalizer = FeatureNormalizer.Fit(fitImage, _config.Normalization);
        var textNormalizer = FeatureNormalizer.Fit(fitText, _config.Normalization);
        using var validationImage = ToTensor(imageNormalizer.Apply(train.Image.SelectRows(split.Validation)));
        using var validationText = ToTensor(textNormalizer.Apply(train.Text.SelectRows(split.Validation)));
        var validationLabels = split.Validation.Select(i => train.Labels[i]).ToArray();

        logger.LogInformation(
            "Training MS2GAN on {FitItems} pairs, validating on {ValidationItems}, {Classes} classes, image {ImageDim}-d, text {TextDim}-d, at most {Epochs} epochs",
            split.Fit.Length, split.Validation.Length, classCount, train.Image.Columns, train.Text.Columns, _config.Epochs);

        var validation = new Validation(validationImage, validationText, validationLabels);
        var (network, history, bestEpoch) = Run(
            imageNormalizer.Apply(fitImage), textNormalizer.Apply(fitText), split.Fit.Select(i => train.Labels[i]).ToArray(),
            classCount, _config.Epochs, validation, progress, stopwatch, cancellation);

        var evaluator = Evaluate(network, validationImage, validationText, validationLabels);
        var curve = evaluator.WeightCurve();
        var weights = RetrievalEvaluator.Choose(curve, WeightMargin(_config, validationLabels.Length));
        logger.LogInformation(ValidationCurveLog + "{Curve}",
            string.Join(" ", curve.Select(v => v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        var report = evaluator.Report(weights);
        logger.LogInformation(
            "Best epoch {BestEpoch}: validation mAP joint {Joint:F4} (weights specific {Specific}, shared {Shared}), shared only {SharedOnly:F4}, specific only {SpecificOnly:F4}",
            bestEpoch, report.Joint.Avg, weights.Specific, weights.Shared, report.Shared.Avg, report.Specific.Avg);
        return new TrainingResult(network, imageNormalizer, textNormalizer, history, bestEpoch, report, split.Fit.Length, split.Validation.Length, stopwatch.Elapsed);
    }

    /// <summary>
    /// Trains on every item of <paramref name="items"/> for exactly <paramref name="epochs"/> epochs, with no
    /// validation split: the refit after the number of epochs was chosen on validation. The input normalisation
    /// is fitted on all of <paramref name="items"/>.
    /// </summary>
    public FittedNetwork Fit(FeatureSplit items, int classCount, int epochs, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        CheckConfig(items.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        if (items.Count < 2)
        {
            throw new ArgumentException($"too few items to train on ({items.Count})");
        }
        var stopwatch = Stopwatch.StartNew();
        var imageNormalizer = FeatureNormalizer.Fit(items.Image, _config.Normalization);
        var textNormalizer = FeatureNormalizer.Fit(items.Text, _config.Normalization);
        logger.LogInformation("Refitting MS2GAN on all {Items} pairs for {Epochs} epochs", items.Count, epochs);
        var (network, history, _) = Run(imageNormalizer.Apply(items.Image), textNormalizer.Apply(items.Text), items.Labels,
            classCount, epochs, null, progress, stopwatch, cancellation);
        return new FittedNetwork(network, imageNormalizer, textNormalizer, history, items.Count, stopwatch.Elapsed);
    }

    /// <summary>The validation mAP a weighting nearer 0.5/0.5 may give up (<see cref="Ms2GanConfig.WeightMargin"/>).</summary>
    public static double WeightMargin(Ms2GanConfig config, int validationItems) => config.WeightMargin / Math.Sqrt(Math.Max(1, validationItems));

    /// <summary>The configuration as the last run resolved it for its data (<see cref="Ms2GanConfig.ForData"/>).</summary>
    public Ms2GanConfig Effective => _config;

    // Fields left to the data are resolved once, for the first training set: a refit after a selection keeps its batch size.
    private void CheckConfig(int trainItems)
    {
        _config = _config.ForData(trainItems);
        var problems = _config.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigException(string.Join("; ", problems));
        }
        torch.set_num_threads(_config.Threads > 0 ? _config.Threads : Environment.ProcessorCount);
        torch.random.manual_seed(_config.Seed);
    }

    private sealed record Validation(Tensor Image, Tensor Text, int[] Labels);

    // Without validation every epoch up to the cap runs and the last one is kept.
    private (Ms2GanNetwork Network, List<EpochReport> History, int BestEpoch) Run(
        FeatureMatrix fitImage, FeatureMatrix fitText, int[] fitLabels, int classCount, int epochs, Validation? validation,
        IProgress<EpochReport>? progress, Stopwatch stopwatch, CancellationToken cancellation)
    {
        using var image = ToTensor(fitImage);
        using var text = ToTensor(fitText);
        using var labels = tensor(fitLabels.Select(l => (long)l).ToArray());
        using var oneHot = nn.functional.one_hot(labels, classCount).to_type(ScalarType.Float32);

        var network = new Ms2GanNetwork(fitImage.Columns, fitText.Columns, classCount, _config);
        using var discriminator = new ModalityDiscriminator(_config.SharedDim, _config.DiscriminatorHidden);
        using var generatorOptimizer = optim.Adam(network.parameters(), _config.LearningRate, _config.AdamBeta1, _config.AdamBeta2, weight_decay: _config.WeightDecay);
        using var discriminatorOptimizer = optim.Adam(discriminator.parameters(), _config.DiscriminatorLearningRate, _config.AdamBeta1, _config.AdamBeta2,
            weight_decay: _config.WeightDecay);

        var history = new List<EpochReport>();
        Dictionary<string, Tensor>? best = null;
        var bestMap = double.NegativeInfinity;
        var bestEpoch = 0;
        var shuffler = new Random(_config.Seed);
        var mixer = new Random(_config.Seed + 1);
        var n = fitLabels.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var byClass = Enumerable.Range(0, n).GroupBy(i => fitLabels[i]).ToDictionary(g => g.Key, g => g.ToArray());
        var batchesPerEpoch = Math.Max(1, (n + _config.BatchSize - 1) / _config.BatchSize);
        using var average = _config.AverageEpochs > 0 ? new WeightAverage(network, 1 - 1 / Math.Max(1, _config.AverageEpochs * batchesPerEpoch)) : null;

        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            network.train();
            discriminator.train();
            shuffler.Shuffle(order);
            var sums = new double[7];
            var batches = 0;
            for (var start = 0; start < n; start += _config.BatchSize)
            {
                var count = Math.Min(_config.BatchSize, n - start);
                if (count < 2)
                {
                    continue; // a single pair has no pair structure to learn from
                }
                using var scope = NewDisposeScope();
                var rows = order.AsSpan(start, count).ToArray();
                var index = tensor(rows.Select(i => (long)i).ToArray());
                var (batchImage, batchText) = (image.index_select(0, index), text.index_select(0, index));
                if (_config.SameClassMix > 0)
                {
                    (batchImage, batchText) = Mix(image, text, rows, fitLabels, byClass, mixer, index);
                }
                var step = Step(network, discriminator, generatorOptimizer, discriminatorOptimizer,
                    batchImage, batchText, labels.index_select(0, index), oneHot.index_select(0, index));
                average?.Update();
                for (var k = 0; k < sums.Length; k++)
                {
                    sums[k] += step[k];
                }
                batches++;
            }
            // Validation, the best snapshot and the final weights are those of the running average when there is one.
            using var current = average?.SwapIn();
            var validationMap = double.NaN;
            var isBest = false;
            if (validation is not null && (epoch % _config.ValidateEvery == 0 || epoch == epochs))
            {
                validationMap = Evaluate(network, validation.Image, validation.Text, validation.Labels).Evaluate(SelectionWeights).Avg;
                isBest = validationMap > bestMap + 1e-9;
                if (isBest)
                {
                    bestMap = validationMap;
                    bestEpoch = epoch;
                    best?.Values.ToList().ForEach(t => t.Dispose());
                    best = Snapshot(network);
                }
            }
            var epochReport = new EpochReport(epoch, epochs,
                sums[0] / batches, sums[1] / batches, sums[2] / batches, sums[3] / batches, sums[4] / batches, sums[5] / batches, sums[6] / batches,
                validationMap, isBest, stopwatch.Elapsed);
            history.Add(epochReport);
            progress?.Report(epochReport);
            if (validation is not null && _config.Patience > 0 && epoch - bestEpoch >= _config.Patience)
            {
                logger.LogInformation("Stopping after epoch {Epoch}: validation mAP has not improved for {Patience} epochs", epoch, _config.Patience);
                break;
            }
        }

        if (best is not null)
        {
            Restore(network, best);
            best.Values.ToList().ForEach(t => t.Dispose());
        }
        else if (average is not null)
        {
            average.SwapIn().Keep();
        }
        return (network, history, validation is null ? history.Count : bestEpoch);
    }

    // Each chosen pair becomes lambda * itself + (1 - lambda) * a random training pair of its class, the same lambda for
    // its image and its text, so the mix is still a pair of that class.
    private (Tensor Image, Tensor Text) Mix(Tensor image, Tensor text, int[] rows, int[] fitLabels, Dictionary<int, int[]> byClass,
        Random mixer, Tensor index)
    {
        var partners = new long[rows.Length];
        var lambdas = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var mixed = mixer.NextDouble() < _config.SameClassMix;
            var members = byClass[fitLabels[rows[i]]];
            partners[i] = mixed ? members[mixer.Next(members.Length)] : rows[i];
            lambdas[i] = mixed ? (float)mixer.NextDouble() : 1f;
        }
        // 1 - lambda is computed here, not as a TorchSharp scalar expression: a run crashed once inside such an add with
        // "Unknown scalar type" (the implicit Scalar's handle), and the tensors from arrays need no Scalar at all.
        using var partner = tensor(partners);
        using var lambda = tensor(lambdas).unsqueeze(1);
        using var rest = tensor(lambdas.Select(l => 1f - l).ToArray()).unsqueeze(1);
        using var imageRows = image.index_select(0, index);
        using var imagePartners = image.index_select(0, partner);
        using var textRows = text.index_select(0, index);
        using var textPartners = text.index_select(0, partner);
        return (imageRows * lambda + imagePartners * rest, textRows * lambda + textPartners * rest);
    }

    private double[] Step(Ms2GanNetwork network, ModalityDiscriminator discriminator, optim.Optimizer generatorOptimizer,
        optim.Optimizer discriminatorOptimizer, Tensor image, Tensor text, Tensor labels, Tensor oneHot)
    {
        var outputs = network.Forward(image, text);

        // Discriminator: learn to tell the modality of (detached) shared features.
        discriminatorOptimizer.zero_grad();
        var discriminatorLoss = Ms2GanLosses.Discriminator(
            discriminator.forward(outputs.ImageShared.detach()), discriminator.forward(outputs.TextShared.detach()));
        discriminatorLoss.backward();
        discriminatorOptimizer.step();

        // Generator: every other objective, plus fooling the discriminator.
        generatorOptimizer.zero_grad();
        Tensor Label(Tensor logits) => _config.LabelLoss == "squared" ? Ms2GanLosses.SquaredLabel(logits, oneHot) : Ms2GanLosses.Label(logits, labels);
        var label = (Label(network.ClassifySpecific(outputs.ImageSpecific))
                     + Label(network.ClassifySpecific(outputs.TextSpecific))
                     + Label(network.ClassifyShared(outputs.ImageShared))
                     + Label(network.ClassifyShared(outputs.TextShared))) / 4;
        var scale = _config.SimilarityScale;
        var inter = (Ms2GanLosses.Similarity(outputs.ImageSpecific, outputs.TextSpecific, labels, labels, scale, false)
                     + Ms2GanLosses.Similarity(outputs.ImageShared, outputs.TextShared, labels, labels, scale, false)) / 2;
        var intra = (Ms2GanLosses.Similarity(outputs.ImageSpecific, outputs.ImageSpecific, labels, labels, scale, true)
                     + Ms2GanLosses.Similarity(outputs.TextSpecific, outputs.TextSpecific, labels, labels, scale, true)
                     + Ms2GanLosses.Similarity(outputs.ImageShared, outputs.ImageShared, labels, labels, scale, true)
                     + Ms2GanLosses.Similarity(outputs.TextShared, outputs.TextShared, labels, labels, scale, true)) / 4;
        var difference = (Ms2GanLosses.Difference(outputs.ImageSpecific, outputs.ImageShared)
                          + Ms2GanLosses.Difference(outputs.TextSpecific, outputs.TextShared)) / 2;
        var adversarial = Ms2GanLosses.Adversarial(discriminator.forward(outputs.ImageShared), discriminator.forward(outputs.TextShared));
        var total = label * _config.LabelWeight + inter * _config.InterWeight + intra * _config.IntraWeight
                    + difference * _config.DifferenceWeight + adversarial * _config.AdversarialWeight;
        if (_config.InvarianceWeight > 0)
        {
            total += Ms2GanLosses.Invariance(outputs.ImageShared, outputs.TextShared) * _config.InvarianceWeight;
        }
        if (_config.JointWeight > 0)
        {
            total += Ms2GanLosses.Similarity(Ms2GanLosses.Joint(outputs.ImageSpecific, outputs.ImageShared),
                Ms2GanLosses.Joint(outputs.TextSpecific, outputs.TextShared), labels, labels, scale, false) * _config.JointWeight;
        }
        total.backward();
        generatorOptimizer.step();

        return
        [
            total.item<float>(), label.item<float>(), inter.item<float>(), intra.item<float>(),
            difference.item<float>(), adversarial.item<float>(), discriminatorLoss.item<float>(),
        ];
    }

    /// <summary>Encodes a split with the network in evaluation mode and prepares its scorer.</summary>
    public static RetrievalEvaluator Evaluate(Ms2GanNetwork network, Tensor image, Tensor text, IReadOnlyList<int> labels)
    {
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (imageSpecific, imageShared) = network.Encode("image", image);
        var (textSpecific, textShared) = network.Encode("text", text);
        return new RetrievalEvaluator(new EncodedSplit(
            ToMatrix(imageSpecific), ToMatrix(imageShared), ToMatrix(textSpecific), ToMatrix(textShared), labels));
    }

    /// <summary>A float32 tensor [rows, columns] holding a copy of the matrix.</summary>
    public static Tensor ToTensor(FeatureMatrix matrix) => tensor(matrix.Values, [matrix.Rows, matrix.Columns]);

    /// <summary>A matrix holding a copy of a 2-D float32 tensor.</summary>
    public static FeatureMatrix ToMatrix(Tensor t)
    {
        var contiguous = t.detach().cpu().contiguous();
        return new FeatureMatrix(contiguous.data<float>().ToArray(), (int)t.shape[0], (int)t.shape[1]);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module module)
    {
        using var noGrad = no_grad();
        return module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static void Restore(nn.Module module, Dictionary<string, Tensor> snapshot)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in module.state_dict())
        {
            value.copy_(snapshot[name]);
        }
    }
}
