namespace MS2GAN.Model.Export;

/// <summary>
/// Shape checks shared by the exporter and the reference forward pass, so a malformed spec fails with
/// the same message before anything is written or computed.
/// </summary>
internal static class EncoderSpecChecks
{
    public static void Validate(EncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Modality))
        {
            throw new ArgumentException("the encoder spec has no modality", nameof(spec));
        }
        if (spec.Mean.Length == 0)
        {
            throw new ArgumentException($"the {spec.Modality} encoder spec has an empty input (Mean has no values)", nameof(spec));
        }
        if (spec.Scale.Length != spec.Mean.Length)
        {
            throw new ArgumentException(
                $"the {spec.Modality} encoder spec has {spec.Mean.Length} means but {spec.Scale.Length} scales", nameof(spec));
        }
        if (spec.InputPower is not (1 or 0.5))
        {
            throw new ArgumentException($"the {spec.Modality} encoder spec has input power {spec.InputPower}; 1 and 0.5 can be exported", nameof(spec));
        }
        if (spec.Specific.Count == 0 || spec.Common.Count == 0)
        {
            throw new ArgumentException(
                $"the {spec.Modality} encoder spec needs at least one specific and one common layer " +
                $"(has {spec.Specific.Count} and {spec.Common.Count})", nameof(spec));
        }
        var width = spec.InputDim;
        width = ValidateStack(spec.Modality, "specific", spec.Specific, width);
        if (spec.SharedInput is { Count: 0 })
        {
            throw new ArgumentException($"the {spec.Modality} encoder spec has an empty shared input stack (null for none)", nameof(spec));
        }

        // The common stack reads S, or the output of the modality's own shared input stack.
        var commonWidth = spec.SharedInput is { } sharedInput ? ValidateStack(spec.Modality, "shared_input", sharedInput, spec.InputDim) : width;
        ValidateStack(spec.Modality, "common", spec.Common, commonWidth);
        if (spec.Labels is { } labels)
        {
            ValidateStack(spec.Modality, "labels.specific", [labels.Specific], spec.SpecificDim);
            ValidateStack(spec.Modality, "labels.shared", [labels.Shared], spec.SharedDim);
            if (labels.Specific.OutFeatures != labels.Shared.OutFeatures
                || labels.Specific.Activation != Activation.None || labels.Shared.Activation != Activation.None)
            {
                throw new ArgumentException(
                    $"the {spec.Modality} label head needs two linear classifiers with as many classes " +
                    $"(has {labels.Specific.OutFeatures} and {labels.Shared.OutFeatures})", nameof(spec));
            }
        }
    }

    private static int ValidateStack(string modality, string stack, IReadOnlyList<DenseLayer> layers, int width)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var where = $"{modality}.{stack}.{i}";
            if (layer.InFeatures != width)
            {
                throw new ArgumentException($"layer {where} takes {layer.InFeatures} inputs but receives {width}");
            }
            if (layer.OutFeatures <= 0)
            {
                throw new ArgumentException($"layer {where} has {layer.OutFeatures} outputs");
            }
            if (layer.Weight.LongLength != (long)layer.OutFeatures * layer.InFeatures)
            {
                throw new ArgumentException(
                    $"layer {where} is {layer.OutFeatures}x{layer.InFeatures} but has {layer.Weight.LongLength} weights");
            }
            if (layer.Bias.Length != layer.OutFeatures)
            {
                throw new ArgumentException($"layer {where} has {layer.OutFeatures} outputs but {layer.Bias.Length} biases");
            }
            if (!Enum.IsDefined(layer.Activation))
            {
                throw new ArgumentException($"layer {where} has an unknown activation {layer.Activation}");
            }
            width = layer.OutFeatures;
        }
        return width;
    }
}
