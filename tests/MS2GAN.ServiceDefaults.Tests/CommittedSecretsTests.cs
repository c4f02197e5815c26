using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MS2GAN.ServiceDefaults.Tests;

/// <summary>
/// Secrets come only from the environment or configuration: the compose file names each one as a required variable (no
/// default, never RabbitMQ's guest account), and no committed file holds a secret value.
/// </summary>
public sealed partial class CommittedSecretsTests
{
    // Where a secret would be written down as a value: configuration, scripts, documents. (Code reads secrets from
    // options and the environment; the tests' keys for their private brokers are not secrets.)
    private static readonly HashSet<string> ConfigLike =
        [".json", ".yml", ".yaml", ".md", ".sh", ".props", ".targets", ".xml", ".toml", ".ini", ".conf", ".config", ".txt", ".py"];

    [Fact]
    public void Every_credential_in_the_compose_file_is_a_required_variable_without_a_default()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFolder.Root(), "docker-compose.yml"));
        var credentials = lines
            .Select((line, index) => (Line: line.Trim(), Number: index + 1))
            .Where(l => !l.Line.StartsWith('#') && CredentialKey().IsMatch(l.Line))
            .ToList();

        // The RabbitMQ account (user and password, for the broker and the services), the elastic password (server and
        // services; the user is Elasticsearch's built-in `elastic`), the API key.
        Assert.True(credentials.Count >= 7, $"only {credentials.Count} credential settings found: {string.Join("; ", credentials.Select(c => c.Line))}");
        Assert.All(credentials, c => Assert.Matches(RequiredVariable(), c.Line));
        Assert.DoesNotContain(lines, line => line.Contains("guest", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void No_committed_file_holds_a_secret()
    {
        var files = TrackedFiles();
        Assert.Contains(".env.example", files);
        Assert.DoesNotContain(".env", files);

        var findings = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(RepositoryFolder.Root(), file);
            if (!ConfigLike.Contains(Path.GetExtension(file)) && !Path.GetFileName(file).StartsWith(".env", StringComparison.Ordinal)
                || !File.Exists(path) || new FileInfo(path).Length > 2_000_000 || IsBinary(path))
            {
                continue;
            }
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal) && PrivateKey().IsMatch(text))
            {
                findings.Add($"{file}: a private key");
            }
            findings.AddRange(SecretAssignment().Matches(text).Select(m => $"{file}: {m.Value}"));
        }

        Assert.True(findings.Count == 0, "secret values committed:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void The_example_environment_file_holds_placeholders_only()
    {
        var secrets = File.ReadAllLines(Path.Combine(RepositoryFolder.Root(), ".env.example"))
            .Where(line => !line.StartsWith('#') && line.Contains('=') && (line.Contains("PASSWORD") || line.Contains("API_KEY")))
            .ToList();

        // RabbitMQ's and Elasticsearch's passwords, the API key, Grafana's admin password (the monitoring profile).
        Assert.Equal(4, secrets.Count);
        Assert.All(secrets, line => Assert.StartsWith("replace-with-", line[(line.IndexOf('=') + 1)..], StringComparison.Ordinal));
    }

    private static List<string> TrackedFiles()
    {
        var start = new ProcessStartInfo("git", ["-C", RepositoryFolder.Root(), "-c", "safe.directory=*", "ls-files", "-z"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git ls-files failed: {error}");
        return [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static bool IsBinary(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[Math.Min(8000, stream.Length)];
        stream.ReadExactly(head);
        return Array.IndexOf(head, (byte)0) >= 0;
    }

    [GeneratedRegex(@"^[\w]*(PASSWORD|PASS|API_KEY|Password|ApiKey|RABBITMQ_DEFAULT_USER|Messaging__Username)\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialKey();

    [GeneratedRegex(@":\s*\$\{[A-Z0-9_]+:\?[^}]+\}\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredVariable();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    // A password, secret or API key given a literal value in a config-like assignment ("Password": "x", PASSWORD=x,
    // password: x). Empty values, variables (${...}, $VAR) and the example file's placeholders are not secrets.
    [GeneratedRegex(@"(?im)^\s*""?[\w.]*(password|secret|api_?key)""?\s*[:=]\s*""?(?!replace-with-|\$|""|\s*$)[^\s""#,]{4,}",
        RegexOptions.CultureInvariant)]
    private static partial Regex SecretAssignment();
}
