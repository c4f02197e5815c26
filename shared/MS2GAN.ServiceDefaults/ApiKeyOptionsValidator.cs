using Microsoft.Extensions.Options;

namespace MS2GAN.ServiceDefaults;

/// <summary>Refuses a missing key (unless anonymous access is allowed) and a key that is too short.</summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        if (!options.HasKey)
        {
            return options.AllowAnonymous
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"No API key is configured: set the environment variable {ApiKeyOptions.EnvironmentVariable} " +
                    $"or {ApiKeyOptions.SectionName}:Key (at least {ApiKeyOptions.MinimumKeyLength} characters), " +
                    $"or {ApiKeyOptions.SectionName}:AllowAnonymous=true for a local demo.");
        }

        // Never echo the key itself: this message ends up in logs.
        return options.Key!.Length < ApiKeyOptions.MinimumKeyLength
            ? ValidateOptionsResult.Fail(
                $"The configured API key ({ApiKeyOptions.EnvironmentVariable} or {ApiKeyOptions.SectionName}:Key) has " +
                $"{options.Key.Length} characters; it needs at least {ApiKeyOptions.MinimumKeyLength}.")
            : ValidateOptionsResult.Success;
    }
}
