using System.CommandLine;
using Microsoft.Extensions.Logging;
using MS2GAN.Host.Cli.Import;

namespace MS2GAN.Host.Cli;

/// <summary>
/// `ms2gan ingest PATH`: bulk import of a folder of images with a captions file, a JSONL manifest or a CSV/TSV manifest
/// into a running service, in NDJSON batches, resumable (a checkpoint beside the source), ending with a summary of what
/// was accepted, rejected (with the line) and indexed. Exit code 0 when all was accepted and indexed, 1 when something
/// was rejected or failed, 2 bad input, 3 service unreachable or timeout.
/// </summary>
public static class IngestCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A folder of images (with captions.tsv or captions.csv), a .jsonl manifest, or a .csv/.tsv manifest" };
        var batchSize = new Option<int>("--batch-size") { Description = "Items per request (1 to 10000)", DefaultValueFactory = _ => 100 };
        var batchMegabytes = new Option<int>("--batch-mb") { Description = "About this many megabytes per request at most", DefaultValueFactory = _ => 32 };
        var state = new Option<string?>("--state") { Description = $"The checkpoint file (default: {ImportSource.StateSuffix} in the folder, or .NAME{ImportSource.StateSuffix} beside the manifest)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Do not wait for the encoder to index the items" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for indexing", DefaultValueFactory = _ => 3600 };
        var command = new Command("ingest", "Import a folder of images with captions, or a JSONL/CSV manifest, into a running service; resumable")
        {
            path, batchSize, batchMegabytes, state, noWait, timeout,
        };
        var connection = new ServiceConnection("The ms2gan service with the ingest API (serve, or the ingest service)");
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => CliRunner.RunAsync("ingest", false, async loggers =>
        {
            var size = parse.GetValue(batchSize);
            var megabytes = parse.GetValue(batchMegabytes);
            var seconds = parse.GetValue(timeout);
            if (size is < 1 or > 10_000 || megabytes is < 1 or > 1024 || seconds < 1)
            {
                throw new CommandFailedException(CliRunner.BadInput,
                    $"--batch-size {size}, --batch-mb {megabytes}, --timeout {seconds}: give 1 to 10000 items, 1 to 1024 MB and at least 1 second");
            }
            using var client = connection.Connect(parse);
            var source = ImportSource.Open(parse.GetValue(path)!);
            var logger = loggers.CreateLogger("ingest");
            var service = client.BaseAddress.ToString().TrimEnd('/');
            using var checkpoint = ImportCheckpoint.Open(parse.GetValue(state) ?? source.DefaultState, service, out var resumed);
            if (resumed)
            {
                logger.LogInformation("Resuming: {Count} items of an earlier run are listed in {Checkpoint}", checkpoint.Count, checkpoint.Path);
            }
            var importer = new BulkImporter(client, checkpoint, size, megabytes * 1024L * 1024);
            var summary = new ImportSummary(source, service);
            await TerminalProgress.RunAsync("ingest", logger, async report =>
            {
                await importer.SendAsync(source.Entries, summary, report, cancellation);
                return 0;
            });
            if (!parse.GetValue(noWait))
            {
                try
                {
                    await TerminalProgress.RunAsync("indexing", logger, async report =>
                    {
                        await importer.WaitAsync(summary, TimeSpan.FromSeconds(seconds), report, cancellation);
                        return 0;
                    });
                }
                catch (CommandFailedException)
                {
                    Console.Out.Write(summary.ToString());
                    throw;
                }
            }
            Console.Out.Write(summary.ToString());
            return summary.Complete ? 0 : CliRunner.Failure;
        }));
        return command;
    }
}
