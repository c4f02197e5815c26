using System.ComponentModel.DataAnnotations;

namespace MS2GAN.Encoder;

/// <summary>Encoder settings (configuration section "Encoder").</summary>
public sealed class EncoderOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Encoder";

    /// <summary>Most ItemsIngested messages gathered into one batch, and most items in one encoder run.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>How long a batch waits to fill before it is encoded anyway, in milliseconds.</summary>
    [Range(1, 60_000)]
    public int BatchTimeLimitMs { get; set; } = 100;

    /// <summary>Batches encoded at the same time.</summary>
    [Range(1, 64)]
    public int ConcurrentBatches { get; set; } = 1;
}
