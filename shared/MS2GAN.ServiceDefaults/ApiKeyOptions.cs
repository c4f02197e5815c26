namespace MS2GAN.ServiceDefaults;

/// <summary>
/// API keys for the endpoints that change data (ingest, delete) and, when asked for, search. Bound from
/// the configuration section <see cref="SectionName"/>; the environment variable <c>MS2GAN_API_KEY</c>
/// (read through configuration, so also the key <c>MS2GAN_API_KEY</c> of any configuration source),
/// when set, takes precedence over <see cref="Key"/>.
/// </summary>
/// <remarks>
/// A service with no key refuses to start, unless <see cref="AllowAnonymous"/> is set: an open write
/// endpoint is an accident waiting to happen, and failing at start tells the operator at once rather
/// than on the first request. With <see cref="AllowAnonymous"/> and no key (local demos only) every
/// keyed endpoint is open and a warning is logged at start. A configured key is always enforced, even
/// with <see cref="AllowAnonymous"/> set, and must be at least <see cref="MinimumKeyLength"/> characters.
/// </remarks>
public sealed class ApiKeyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ApiKeys";

    /// <summary>The environment variable (configuration key) that overrides <see cref="Key"/>.</summary>
    public const string EnvironmentVariable = "MS2GAN_API_KEY";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The shortest key accepted.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>The key clients must send in <see cref="HeaderName"/>; null or empty when none is configured.</summary>
    public string? Key { get; set; }

    /// <summary>Whether search endpoints also ask for the key (default false: search is open).</summary>
    public bool RequireForSearch { get; set; }

    /// <summary>Lets the service start without any key, leaving keyed endpoints open. For local demos only.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Whether a key is configured.</summary>
    public bool HasKey => !string.IsNullOrEmpty(Key);
}
