using System.CommandLine;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Host.Cli;

/// <summary>The options every verb that talks to a running service takes (--url, --api-key) and the <see cref="ServiceClient"/> they give.</summary>
/// <param name="service">Which service --url names, for its help text.</param>
/// <param name="keyRequired">Whether the verb needs the API key (writes and the admin API do; search only when the service asks for it).</param>
public sealed class ServiceConnection(string service = "The ms2gan service with the admin API (serve, or the trainer service)", bool keyRequired = true)
{
    /// <summary>The address `ms2gan serve` listens on by default.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private readonly Option<string> _url = new("--url") { Description = service, DefaultValueFactory = _ => DefaultUrl };

    private readonly Option<string?> _apiKey = new("--api-key")
    {
        Description = $"API key sent as {ApiKeyOptions.HeaderName} (default: the environment variable {ApiKeyOptions.EnvironmentVariable})",
    };

    /// <summary>Adds --url and --api-key to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_url);
        command.Options.Add(_apiKey);
    }

    /// <summary>A client for the parsed URL and key.</summary>
    /// <exception cref="CommandFailedException">Not an http(s) URL, or no key when one is required (exit code 2).</exception>
    public ServiceClient Connect(ParseResult parse)
    {
        var url = parse.GetValue(_url)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new CommandFailedException(CliRunner.BadInput, $"--url {url}: not an http:// or https:// address");
        }
        var key = parse.GetValue(_apiKey) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(ApiKeyOptions.EnvironmentVariable);
        if (string.IsNullOrEmpty(key) && keyRequired)
        {
            throw new CommandFailedException(CliRunner.BadInput, $"no API key: give --api-key or set {ApiKeyOptions.EnvironmentVariable}");
        }
        return new ServiceClient(address, key);
    }
}
