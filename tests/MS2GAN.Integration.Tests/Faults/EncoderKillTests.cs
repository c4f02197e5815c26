using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// The encoder process is killed with SIGKILL at random moments while items stream in, and started again each time: every
/// item the ingest API acknowledged ends up indexed, with exactly one vector per item and modality.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class EncoderKillTests(FeatureModelFixture model, ITestOutputHelper output)
{
    private const int BatchSize = 200;

    [RabbitMqFact]
    public async Task Killing_the_encoder_mid_ingest_loses_and_duplicates_nothing()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("kill");
        using var folder = new TempFolder();
        await using var pipeline = await SplitPipeline.StartAsync(model.ModelDirectory, broker, virtualHost.Name, folder);
        var items = FeatureModelFixture.Items("kill", FaultSize.Items);
        var kills = FaultSize.Kills;
        // Long enough for every kill and restart to fall inside the ingest.
        var pace = TimeSpan.FromSeconds(Math.Max(10, 6 * kills)) / Math.Max(1, items.Count / BatchSize);
        var acknowledged = new ConcurrentBag<string>();

        var send = Task.Run(async () =>
        {
            foreach (var batch in items.Chunk(BatchSize))
            {
                foreach (var id in await pipeline.SendAsync(batch))
                {
                    acknowledged.Add(id);
                }
                await Task.Delay(pace);
            }
        });
        var random = new Random(7);
        var downtimes = new List<TimeSpan>();
        for (var k = 0; k < kills; k++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 4000)));
            var down = Stopwatch.StartNew();
            await pipeline.Encoder.KillAsync();
            await pipeline.Encoder.StartAsync(TimeSpan.FromSeconds(60));
            downtimes.Add(down.Elapsed);
        }
        await send;
        var ids = acknowledged.ToList();
        var row = await pipeline.SettleAsync($"encoder killed (SIGKILL) {kills} times during the ingest, restarted each time", items.Count, ids,
            $"kill to encoder back up: max {downtimes.Max().TotalSeconds:F1} s");
        output.WriteLine(FaultRow.Header);
        output.WriteLine(row.ToString());

        Assert.Equal(items.Count, ids.Count);
        Assert.Equal(0, row.Lost);
        Assert.Equal(0, row.Duplicated);
    }
}
