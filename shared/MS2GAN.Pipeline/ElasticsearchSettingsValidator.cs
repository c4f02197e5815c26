using Microsoft.Extensions.Options;

namespace MS2GAN.Pipeline;

/// <summary>Checks the Elasticsearch settings at start-up; the failure names the setting and what is wrong.</summary>
internal sealed class ElasticsearchSettingsValidator : IValidateOptions<ElasticsearchSettings>
{
    public ValidateOptionsResult Validate(string? name, ElasticsearchSettings options)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ValidateOptionsResult.Fail(
                $"Elasticsearch:Url must be an http or https URL (e.g. https://localhost:9200) when Pipeline:Store or Pipeline:ItemStore is Elasticsearch; it is '{options.Url}'.");
        }

        try
        {
            options.ToStoreOptions().Validate();
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Elasticsearch settings: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
