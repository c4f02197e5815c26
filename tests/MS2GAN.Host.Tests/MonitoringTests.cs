using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

/// <summary>
/// The Grafana dashboard (infra/grafana) and the Prometheus configuration (infra/prometheus) against a running service:
/// every metric the dashboard's queries use is exported at /metrics once the service has ingested, encoded, searched
/// and reindexed.
/// </summary>
public sealed partial class MonitoringTests
{
    private static readonly string Dashboard = Path.Combine(RepositoryFolder.Root(), "infra", "grafana", "dashboards", "ms2gan.json");

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported_by_a_service_that_ingested_searched_and_reindexed()
    {
        await using var server = await AdminServer.StartAsync(new Dictionary<string, string> { ["Lifecycle:Tolerance"] = "1" });
        await server.IngestAndWaitAsync(perClass: 20, seed: 5);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", AdminServer.ApiKey);
        var refused = await http.PostAsJsonAsync("/v1/items", new { id = "not an id!", textFeatures = new[] { 1f } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var search = await http.PostAsJsonAsync("/v1/search", new { query = new { itemId = "item-0000", modality = "image" }, target = "text", k = 3 });
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var retrain = await Ms2GanCli.RunAsync(null, ["retrain", "--epochs", "2", .. server.Connection]);
        Assert.True(retrain.ExitCode == 0, retrain.ToString());

        var exported = await http.GetStringAsync("/metrics");

        var samples = exported.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        var names = samples.Select(line => MetricName().Match(line).Value).ToHashSet();
        var queried = Queries().SelectMany(expr => Ms2GanName().Matches(expr).Select(m => m.Value)).ToHashSet();
        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.True(names.Contains(name), $"the dashboard queries {name}, which /metrics does not export"));
        // The reindex of the 80 items is complete: done equals size. (Other services in this test process report on the
        // same meter name, so there may be more series, and the counter may hold their items too.)
        Assert.Contains(80, Values(samples, "ms2gan_reindex_done"));
        Assert.Contains(80, Values(samples, "ms2gan_reindex_size"));
        Assert.True(Values(samples, "ms2gan_reindex_items_total").Sum() >= 80, exported);
    }

    [Fact]
    public void The_dashboard_shows_the_five_operations_figures_from_the_provisioned_prometheus()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var titles = panels.Select(p => p.GetProperty("title").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "Ingest rate", "Encode latency", "Queue lag", "Search latency", "Reindex progress" }, titles.ToHashSet());
        var datasource = File.ReadAllText(Path.Combine(RepositoryFolder.Root(), "infra", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var uid = Regex.Match(datasource, @"uid: (\S+)").Groups[1].Value;
        Assert.All(panels, panel => Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.All(panels, panel => Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray()));

        // Prometheus scrapes /metrics of services that docker-compose.yml defines, on the port they listen on.
        var prometheus = File.ReadAllText(Path.Combine(RepositoryFolder.Root(), "infra", "prometheus", "prometheus.yml"));
        var compose = File.ReadAllText(Path.Combine(RepositoryFolder.Root(), "docker-compose.yml"));
        Assert.Contains("metrics_path: /metrics", prometheus);
        var targets = Regex.Matches(prometheus, @"""([a-z]+):8080""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["ingest", "encoder", "search", "trainer"], targets);
        Assert.All(targets, service => Assert.Matches($@"(?m)^  {service}:$", compose));
    }

    private static List<double> Values(IEnumerable<string> samples, string name) => samples
        .Select(line => Regex.Match(line, $@"^{name}(\{{[^}}]*\}})? (\S+)"))
        .Where(m => m.Success)
        .Select(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
        .ToList();

    private static IEnumerable<string> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"ms2gan_[a-z0-9_]+")]
    private static partial Regex Ms2GanName();
}
