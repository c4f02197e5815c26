using Microsoft.Extensions.Options;

namespace MS2GAN.Search;

/// <summary>Refuses search limits that cannot work, naming the setting, so the service stops at start-up.</summary>
internal sealed class SearchOptionsValidator : IValidateOptions<SearchOptions>
{
    public ValidateOptionsResult Validate(string? name, SearchOptions options)
    {
        var failures = new List<string>();
        if (options.MaxImageBytes <= 0)
        {
            failures.Add($"Search:{nameof(SearchOptions.MaxImageBytes)} must be positive; it is {options.MaxImageBytes}.");
        }
        if (options.MaxMediaBytes <= 0)
        {
            failures.Add($"Search:{nameof(SearchOptions.MaxMediaBytes)} must be positive; it is {options.MaxMediaBytes}.");
        }
        if (options.MaxTextLength <= 0)
        {
            failures.Add($"Search:{nameof(SearchOptions.MaxTextLength)} must be positive; it is {options.MaxTextLength}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
