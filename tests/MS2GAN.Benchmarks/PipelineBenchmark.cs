namespace MS2GAN.Benchmarks;

/// <summary>
/// `pipeline`: the issue 3 figures over a real RabbitMQ, in feature mode, all in one run so the ratios
/// compare like with like: the broker's one-message-per-item rate, HTTP ingest to searchable with the
/// messages carrying a chunk of items each and with one message per item, search latency over HTTP with the corpus indexed, and
/// freshness at a steady ingest rate.
/// </summary>
public static class PipelineBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var items = args.Int("items", 100_000, 1_000);
        var clients = args.Int("clients", 4, 1, 64);
        var lines = args.Int("lines", 1_000, 1, 10_000);
        var perItemItems = args.Int("per-item-items", 5_000, 100);
        var rawMessages = args.Int("raw-messages", 50_000, 1_000);
        var freshRate = args.Int("fresh-rate", 1_000, 10);
        var freshSeconds = args.Int("fresh-seconds", 30, 5);
        var searchClients = args.Int("search-clients", 8, 1, 64);
        var searchSeconds = args.Int("search-seconds", 20, 5);
        // Seconds to wait between the end of the ingest and the search phase, so work the ingest left behind (the store's
        // background compaction, the collector) can finish first: 0 searches at once, as the figures before this option did.
        var settleSeconds = args.Int("settle-seconds", 0, 0);
        var epochs = args.Int("epochs", 5, 1);
        var jsonPath = args.String("json") ?? Path.Combine("artifacts", "bench", "pipeline.json");
        var broker = BenchBroker.FromEnvironment();
        var corpus = new SyntheticCorpus();
        return await BenchRun.InTempFolderAsync("pipeline", async work =>
        {
            var model = BenchModel.Train(corpus, work.FullName, epochs);

            Console.WriteLine($"1/5 raw broker: {rawMessages:N0} messages, one per item, {clients} publishers");
            var raw = await RawBrokerBenchmark.RunAsync(broker, rawMessages, clients, lines);
            Console.WriteLine($"  {raw:N0} messages/s published and consumed");
            Console.WriteLine($"1/5 raw broker, RabbitMQ.Client alone: {rawMessages:N0} messages, one per item, {clients} publishers");
            var client = await ClientBrokerBenchmark.RunAsync(broker, rawMessages, clients, lines);
            Console.WriteLine($"  {client:N0} messages/s published and consumed");

            IngestThroughput.Result batched;
            SearchLoad.Result search;
            Freshness.Result fresh;
            await using (var run = await PipelineRun.StartAsync(broker, model, Path.Combine(work.FullName, "batched"), new Dictionary<string, string>()))
            {
                Console.WriteLine($"2/5 ingest to searchable, batched encoder: {items:N0} items in NDJSON requests of {lines:N0} lines from {clients} clients");
                batched = await IngestThroughput.RunAsync(run, corpus, "batched", items, clients, lines);
                Console.WriteLine($"  {batched.ItemsPerSecond:N0} items/s to searchable ({batched.IndexedSeconds:F1} s); accepted at {batched.AcceptedPerSecond:N0} items/s");

                if (settleSeconds > 0)
                {
                    Console.WriteLine($"  waiting {settleSeconds} s before searching (--settle-seconds)");
                    await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
                }

                Console.WriteLine($"3/5 search over HTTP: {searchClients} clients for {searchSeconds} s, {items:N0} items ({2 * items:N0} vectors), exact mode");
                search = await SearchLoad.RunAsync(run, corpus, searchClients, TimeSpan.FromSeconds(searchSeconds));
                Console.WriteLine($"  p50 {search.P50Ms:F1} ms, p99 {search.P99Ms:F1} ms, max {search.MaxMs:F1} ms, {search.QueriesPerSecond:N0} queries/s, {search.Errors} errors, {search.EmptyAnswers} empty");

                Console.WriteLine($"4/5 freshness at {freshRate:N0} items/s for {freshSeconds} s");
                fresh = await Freshness.RunAsync(run, corpus, freshRate, TimeSpan.FromSeconds(freshSeconds));
                Console.WriteLine($"  p50 {fresh.P50Ms:F0} ms, p99 {fresh.P99Ms:F0} ms, max {fresh.MaxMs:F0} ms (sent at {fresh.AchievedRate:N0} items/s)");
            }

            IngestThroughput.Result perItem;
            await using (var run = await PipelineRun.StartAsync(broker, model, Path.Combine(work.FullName, "per-item"), new Dictionary<string, string>()))
            {
                // Batches of one line: one ItemsIngested message per item, gathered into batches by the encoder's consumer.
                Console.WriteLine($"5/5 ingest to searchable, one item (one message) per request (the encoder still batches): {perItemItems:N0} items");
                perItem = await IngestThroughput.RunAsync(run, corpus, "per-item", perItemItems, clients, 1);
                Console.WriteLine($"  {perItem.ItemsPerSecond:N0} items/s to searchable ({perItem.IndexedSeconds:F1} s)");
            }

            var report = new
            {
                machine = BenchRun.Machine,
                rawBrokerMessagesPerSecond = raw,
                rawClientMessagesPerSecond = client,
                batched = new { batched.Items, batched.ItemsPerSecond, batched.AcceptedPerSecond, batched.IndexedSeconds },
                perItem = new { perItem.Items, perItem.ItemsPerSecond, perItem.IndexedSeconds },
                batchedOverPerItem = batched.ItemsPerSecond / perItem.ItemsPerSecond,
                batchedOverRawBroker = batched.ItemsPerSecond / raw,
                batchedOverRawClient = batched.ItemsPerSecond / client,
                search = new { search.Clients, search.Requests, search.QueriesPerSecond, search.P50Ms, search.P99Ms, search.MaxMs, search.Errors, search.EmptyAnswers, indexedItems = items },
                freshness = new { fresh.Rate, fresh.AchievedRate, fresh.Items, fresh.P50Ms, fresh.P99Ms, fresh.MaxMs },
            };
            var written = await BenchRun.WriteJsonAsync(jsonPath, report);

            Console.WriteLine();
            Console.WriteLine("| figure | measured | target |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| ingest to searchable, batched | {batched.ItemsPerSecond:N0} items/s | >= 3,000 items/s |");
            Console.WriteLine($"| ingest to searchable, one message per item | {perItem.ItemsPerSecond:N0} items/s (batched is {batched.ItemsPerSecond / perItem.ItemsPerSecond:F1}x) | batched faster |");
            Console.WriteLine($"| broker alone, one message per item | {raw:N0} messages/s (batched pipeline is {batched.ItemsPerSecond / raw:F2}x) | - |");
            Console.WriteLine($"| RabbitMQ.Client alone, one message per item | {client:N0} messages/s (batched pipeline is {batched.ItemsPerSecond / client:F2}x) | - |");
            Console.WriteLine($"| freshness at {freshRate:N0} items/s | p50 {fresh.P50Ms:F0} ms, p99 {fresh.P99Ms:F0} ms | p99 <= 2,000 ms |");
            Console.WriteLine($"| search over HTTP, {items:N0} items, {searchClients} clients | p50 {search.P50Ms:F1} ms, p99 {search.P99Ms:F1} ms, {search.QueriesPerSecond:N0} q/s | p99 <= 25 ms |");
            Console.WriteLine($"results: {written}");
            return 0;
        });
    }
}
